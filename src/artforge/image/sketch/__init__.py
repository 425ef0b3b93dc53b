"""Line art from any picture: HED (a network), XDoG and Canny, cleaned into pen lines."""
