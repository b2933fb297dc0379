// Kiln player page: /player/?job=<replay job id>&t=<ms> shows the job's
// bundle with kiln-player, paused at t. The job's results carry a signed
// URL per file (manifest, segments, assets), given to the player as its
// files. The document element's data-kiln-player says "ready" once the
// frame at t is painted, "error" when it cannot be shown.
import "/player/kiln-player.js";

const root = document.documentElement;
const params = new URLSearchParams(location.search);

function fail(msg) {
  const p = document.getElementById("player-error");
  p.textContent = msg;
  p.hidden = false;
  root.dataset.kilnPlayer = "error";
}

async function job(id, key) {
  for (;;) {
    const resp = await fetch("/v1/jobs/" + encodeURIComponent(id) + "?wait=25s", { headers: { Authorization: "Bearer " + key } });
    if (!resp.ok) {
      let msg = "HTTP " + resp.status;
      try { msg = (await resp.json()).error.message; } catch (_) { /* not JSON */ }
      throw new Error("job " + id + ": " + msg);
    }
    const j = await resp.json();
    if (j.state === "done") return j;
    if (j.state === "failed") throw new Error("job " + id + " failed: " + (j.reason || "no reason given"));
  }
}

async function main() {
  const id = params.get("job");
  const key = document.querySelector('meta[name="kiln-key"]').content || sessionStorage.getItem("kiln-key") || "";
  if (!id) return fail("No job: open /player/?job=<replay job id>&t=<ms>.");
  if (!key) return fail("No API key: open the viewer at / first, in this tab.");
  const j = await job(id, key);
  if (j.type !== "render:replay") return fail("job " + id + " is not a replay");
  const files = new Map((j.results || []).map((r) => [r.name, r.url]));
  if (!files.has("manifest.json")) return fail("job " + id + " has no manifest.json");
  const p = document.createElement("kiln-player");
  p.files = files;
  p.headers = { Authorization: "Bearer " + key };
  if (params.has("t")) p.setAttribute("t", params.get("t"));
  if (params.has("skip")) p.setAttribute("skip-inactive", "");
  if (files.has("video")) p.setAttribute("video", files.get("video"));
  p.setAttribute("events-timeline", "");
  p.addEventListener("kiln-ready", () => { root.dataset.kilnPlayer = "ready"; });
  p.addEventListener("kiln-error", (ev) => fail(ev.detail.message));
  p.setAttribute("src", files.get("manifest.json"));
  document.body.append(p);
}

main().catch((e) => fail(e.message));
