/* Check-in: read badge QR codes with the phone's camera through the browser's BarcodeDetector (no
   library), send each code once to the server, and show the answer. The typed code form works alone. */
(function () {
  "use strict";
  var box = document.getElementById("scanner");
  if (!box) { return; }
  var form = document.getElementById("scan-form"), result = document.getElementById("scan-result");
  var camera = document.getElementById("camera"), start = document.getElementById("camera-start");
  var video = document.getElementById("camera-video"), url = box.getAttribute("data-scan-url");
  var last = "", lastAt = 0, busy = false;

  function show(ok, message) {
    result.textContent = message;
    result.className = "scan-result " + (ok ? "ok" : "bad");
    if (navigator.vibrate) { navigator.vibrate(ok ? 80 : [60, 60, 60]); }
  }
  function direction() {
    var checked = form.querySelector("input[name=direction]:checked");
    return checked ? checked.value : "arrival";
  }
  function send(code) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("input[name=csrfmiddlewaretoken]").value);
    data.append("code", code);
    data.append("direction", direction());
    busy = true;
    return fetch(url, {method: "POST", body: data, credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        show(answer.ok, answer.message);
        document.body.dispatchEvent(new CustomEvent("scanned"));
      })
      .catch(function () { show(false, form.getAttribute("data-offline") || "…"); })
      .then(function () { busy = false; });
  }
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) {
    document.getElementById("camera-unsupported").hidden = false;
    return;
  }
  camera.hidden = false;
  start.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      start.hidden = true;
      video.play();
      window.setInterval(function () {
        if (busy || video.readyState < 2) { return; }
        detector.detect(video).then(function (codes) {
          if (!codes.length) { return; }
          var code = codes[0].rawValue, now = Date.now();
          if (code === last && now - lastAt < 4000) { return; }  // the same badge still in front of the camera
          last = code; lastAt = now;
          send(code);
        }).catch(function () {});
      }, 300);
    }).catch(function () {
      document.getElementById("camera-unsupported").hidden = false;
      camera.hidden = true;
    });
  });
})();
