(function () {
  // The phone's camera reads the QR code with the browser's BarcodeDetector; without it, the code is typed.
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  var start = document.getElementById("scan-start"), box = document.getElementById("scanner"),
      video = document.getElementById("camera"), form = document.getElementById("code-form");
  start.hidden = false;
  start.addEventListener("click", function () {
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false}).then(function (stream) {
      box.hidden = false; start.hidden = true; video.srcObject = stream; video.play();
      var timer = setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (!codes.length) return;
          clearInterval(timer);
          stream.getTracks().forEach(function (t) { t.stop(); });
          form.querySelector("[name=code]").value = codes[0].rawValue;
          form.submit();
        }).catch(function () {});
      }, 300);
    }).catch(function () { document.getElementById("scan-help").classList.add("error"); });
  });
})();
