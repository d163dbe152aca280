// The idle timeout's warning (accounts/sessions.py; CSP-compatible: no inline script). The page's
// <meta name="session-timeout"> says how many seconds are left; shortly before, the script asks the server
// (another tab may have been used meanwhile, and the question does not count as activity) and, if the time
// is really running out, shows the warning with "Stay signed in", which pings the server. When the time is
// up, it goes to the sign-in page, where the server has ended the session.
(function () {
  "use strict";

  const meta = document.querySelector('meta[name="session-timeout"]');
  if (!meta) {
    return;
  }
  const warnBefore = parseInt(meta.dataset.warn, 10) || 120;
  let deadline = Date.now() + parseInt(meta.content, 10) * 1000;
  let timer = null;

  function warning() {
    return document.getElementById("session-warning");
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
    } catch (error) {
      return "";
    }
  }

  function schedule() {
    window.clearTimeout(timer);
    const untilWarning = deadline - Date.now() - warnBefore * 1000;
    timer = window.setTimeout(check, Math.max(untilWarning, 1000));
  }

  function update(response) {
    if (!response.ok || !(response.headers.get("Content-Type") || "").includes("json")) {
      return { seconds_left: 0 };
    }
    return response.json();
  }

  function apply(data) {
    deadline = Date.now() + data.seconds_left * 1000;
    if (data.seconds_left <= 0) {
      window.location.assign(meta.dataset.loginUrl + "?next=" + encodeURIComponent(window.location.pathname));
      return;
    }
    const box = warning();
    if (box) {
      box.hidden = data.seconds_left > warnBefore;
    }
    if (data.seconds_left > warnBefore) {
      schedule();
    } else {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, data.seconds_left * 1000 + 1000);
    }
  }

  function retryLater() {
    // The server could not be asked (network down): ask again in half a minute.
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 30000);
  }

  function check() {
    fetch(meta.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { "X-Background": "1" },
      redirect: "manual",
    }).then(update).then(apply, retryLater);
  }

  function stay() {
    fetch(meta.dataset.pingUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken() },
      redirect: "manual",
    }).then(update).then(apply, retryLater);
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-session-stay]")) {
      stay();
    }
  });
  schedule();
})();
