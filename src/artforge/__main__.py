from artforge.cli import main

main()
