/* The public map: zoom buttons, centring on a stand, and a tap on a stand that shows its exhibitors
   without reloading the page. Everything works without this file (links and forms). */
(function () {
  "use strict";
  var box = document.querySelector(".floor-map");
  if (!box) { return; }
  var zoom = 1, MIN = 1, MAX = 8;
  function setZoom(value, keepCentre) {
    var svg = box.querySelector("svg"), r = box.getBoundingClientRect(), before = svg.getBoundingClientRect();
    var fx = (r.left + r.width / 2 - before.left) / before.width, fy = (r.top + r.height / 2 - before.top) / before.height;
    zoom = Math.max(MIN, Math.min(MAX, value));
    box.style.setProperty("--zoom", zoom);
    if (keepCentre === false) { return; }
    var after = svg.getBoundingClientRect();
    box.scrollLeft += after.left + fx * after.width - (r.left + r.width / 2);
    box.scrollTop += after.top + fy * after.height - (r.top + r.height / 2);
  }
  function centreOn(el) {
    if (!el) { return; }
    var b = el.getBoundingClientRect(), r = box.getBoundingClientRect();
    box.scrollLeft += (b.left + b.width / 2) - (r.left + r.width / 2);
    box.scrollTop += (b.top + b.height / 2) - (r.top + r.height / 2);
  }
  document.querySelectorAll("[data-zoom]").forEach(function (button) {
    button.addEventListener("click", function () {
      var how = button.getAttribute("data-zoom");
      if (how === "in") { setZoom(zoom * 1.6); } else if (how === "out") { setZoom(zoom / 1.6); } else { setZoom(1, false); }
    });
  });
  // On a phone the whole plan is too small to tap a stand: start closer, on the chosen stand if any.
  var focus = box.getAttribute("data-focus"), target = focus ? document.getElementById(focus) : null;
  var phone = box.clientWidth < 700, smallest = Infinity;
  box.querySelectorAll(".stand").forEach(function (s) { smallest = Math.min(smallest, s.getBoundingClientRect().width || Infinity); });
  if (phone && smallest < Infinity) {
    // Zoom until the smallest stand is about 40 px wide: big enough for a finger.
    setZoom(Math.min(4, Math.max(1, 40 / smallest)), false);
  }
  if (target || phone) { window.requestAnimationFrame(function () { centreOn(target || box.querySelector("svg")); }); }
  var panel = document.getElementById("stand-panel");
  if (!panel || !window.fetch || !window.history) { return; }
  box.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.stand") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
    var href = link.getAttribute("href");
    event.preventDefault();
    fetch(href + (href.indexOf("?") < 0 ? "?" : "&") + "panel=1", {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (html) {
        panel.innerHTML = html;
        panel.hidden = false;
        box.querySelectorAll(".stand.selected").forEach(function (s) { s.classList.remove("selected"); });
        link.classList.add("selected");
        centreOn(link);
        history.pushState({}, "", href);
        panel.scrollIntoView({behavior: "smooth", block: "start"});
        var heading = panel.querySelector("h2");
        if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({preventScroll: true}); }
      })
      .catch(function () { window.location.href = href; });
  });
  window.addEventListener("popstate", function () { window.location.reload(); });
})();
