// Talking to the studio's API: JSON in and out, errors as one sentence, jobs followed live.

export class ApiError extends Error {}

async function readError(response) {
  try {
    const body = await response.json();
    return body.error || `The studio answered ${response.status}.`;
  } catch {
    return `The studio answered ${response.status} ${response.statusText}.`;
  }
}

// GET (no body) or POST/DELETE (JSON body); the X-Artforge header marks requests from the page.
export async function api(path, options) {
  return (await send(path, options)).json();
}

// The same, for a route that answers a picture: resolves to its Blob.
export async function picture(path, options) {
  return (await send(path, options)).blob();
}

async function send(path, { method = "GET", body } = {}) {
  const options = { method, headers: {} };
  if (method !== "GET") options.headers["X-Artforge"] = "1";
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch {
    throw new ApiError("The studio cannot be reached. Is it still running?");
  }
  if (!response.ok) throw new ApiError(await readError(response));
  return response;
}

// Upload a file as `kind` (image, midi, zip, video, text); resolves to the upload's record.
export async function upload(file, kind) {
  const form = new FormData();
  form.append("kind", kind);
  form.append("file", file, file.name);
  let response;
  try {
    response = await fetch("/api/uploads", { method: "POST", body: form,
                                             headers: { "X-Artforge": "1" } });
  } catch {
    throw new ApiError("The upload did not reach the studio.");
  }
  if (!response.ok) throw new ApiError(await readError(response));
  return response.json();
}

// Follow a job through Server-Sent Events until it ends; `onJob` sees every change,
// `onMetrics` new training log lines. Resolves with the ended job; rejects when it failed.
export function follow(job, { onJob = () => {}, onMetrics = () => {} } = {}) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/api/jobs/${job.id}/events`);
    let last = job;
    source.addEventListener("job", (event) => {
      last = JSON.parse(event.data);
      onJob(last);
    });
    source.addEventListener("metrics", (event) => onMetrics(JSON.parse(event.data)));
    source.addEventListener("end", () => {
      source.close();
      window.dispatchEvent(new CustomEvent("job-ended", { detail: last }));
      if (last.status === "done") resolve(last);
      else reject(new JobEnded(last));
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        reject(new ApiError("Lost contact with the studio while the job ran; see Jobs."));
      }
    };
  });
}

export class JobEnded extends Error {
  constructor(job) {
    const why = { failed: job.error || "it failed", cancelled: "it was cancelled",
                  interrupted: "it was interrupted (the studio stopped); resume it from Jobs" };
    super(`The job did not finish: ${why[job.status] || job.status}.`);
    this.job = job;
  }
}

export const jobFile = (job, name) => `/api/jobs/${job.id}/files/${encodeURIComponent(name)}`;
