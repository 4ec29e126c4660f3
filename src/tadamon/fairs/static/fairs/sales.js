/* Sales declaration that survives a dropped network. What is typed is kept on the phone (localStorage)
   as a draft; a form sent without network waits in a queue on the phone and is sent again when the
   network comes back (or the page is opened again). The server counts a form once (its client_key).
   Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var form = document.querySelector("[data-sales-form]");
  if (!form || !window.fetch || !window.localStorage) { return; }
  var key = form.getAttribute("data-storage-key"), draftKey = key + "-draft", queueKey = key + "-queue";
  var box = document.getElementById("sales-offline");
  var confirmField = document.getElementById("id_confirm");
  function showConfirm(show) { if (confirmField) { confirmField.closest(".field").style.display = show ? "" : "none"; } }
  showConfirm(form.hasAttribute("data-needs-confirmation"));

  function read(k, fallback) { try { return JSON.parse(localStorage.getItem(k)) || fallback; } catch (e) { return fallback; } }
  function write(k, value) { try { localStorage.setItem(k, JSON.stringify(value)); } catch (e) { /* full: keep going */ } }
  function say(text, kind) { box.textContent = text; box.className = "message " + (kind || "warning"); box.hidden = !text; }
  function values() {
    var out = {};
    new FormData(form).forEach(function (v, k) { if (k !== "csrfmiddlewaretoken") { out[k] = v; } });
    if (confirmField) { out.confirm = confirmField.checked ? "on" : ""; }
    return out;
  }
  function newKey() {
    var bytes = new Uint8Array(16); window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function post(entry) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    Object.keys(entry).forEach(function (k) { if (entry[k] !== "") { data.append(k, entry[k]); } });
    return fetch(form.action || location.href, {method: "POST", body: data, credentials: "same-origin",
                                                headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); });
  }
  function showQueue() {
    var queue = read(queueKey, []);
    if (queue.length) {
      say(form.getAttribute("data-msg-pending") + " " + queue.map(function (e) { return e.day + " · " + e.amount; }).join("، "));
    }
  }
  var flushing = false;  // one send at a time: the browser and the page may both say "online"
  function flush() {
    if (flushing) { return; }
    var queue = read(queueKey, []);
    if (!queue.length || !navigator.onLine) { showQueue(); return; }
    var entry = queue[0];
    flushing = true;
    post(entry).then(function (answer) {
      flushing = false;
      write(queueKey, read(queueKey, []).slice(1));
      if (answer.ok) { say(form.getAttribute("data-msg-sent") + " " + answer.message, "ok"); }
      else { say(answer.message, "error"); }
      if (read(queueKey, []).length) { flush(); } else if (answer.ok) { setTimeout(function () { location.reload(); }, 1500); }
    }).catch(function () { flushing = false; showQueue(); });
  }

  var draft = read(draftKey, null);
  if (draft && !form.hasAttribute("data-needs-confirmation")) {
    Object.keys(draft).forEach(function (k) {
      var field = form.elements[k];
      if (field && field.type !== "hidden" && field.type !== "checkbox" && !field.value) { field.value = draft[k]; }
    });
  }
  form.addEventListener("input", function () { write(draftKey, values()); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var entry = values();
    function queueIt() {
      var queue = read(queueKey, []); queue.push(entry); write(queueKey, queue);
      localStorage.removeItem(draftKey);
      form.elements.client_key.value = newKey();
      say(form.getAttribute("data-msg-offline"));
    }
    if (!navigator.onLine) { queueIt(); return; }
    post(entry).then(function (answer) {
      if (answer.ok) {
        localStorage.removeItem(draftKey);
        say(answer.message, "ok");
        setTimeout(function () { location.reload(); }, 1200);
      } else {
        if (answer.needs_confirmation) { showConfirm(true); }
        say(answer.message, "error");
      }
    }).catch(queueIt);
  });
  window.addEventListener("online", flush);
  flush();
})();
