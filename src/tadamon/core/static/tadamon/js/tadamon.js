/* Small behaviours of every page, here rather than in the pages: the Content-Security-Policy
   forbids inline scripts and on…= attributes. */
(function () {
  "use strict";
  // <select data-autosubmit>: choosing a value sends its form (the region switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("[data-autosubmit]") && target.form) target.form.submit();
  });
  // <a data-print>: print the page (the floor plan, A3).
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-print]");
    if (!link) return;
    event.preventDefault();
    window.print();
  });
})();
