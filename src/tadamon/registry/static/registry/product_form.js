/* Show the ONSSA field as required when the category is a food category, and the price as optional when "on request". */
(function () {
  var category = document.getElementById("id_category");
  var onssa = document.getElementById("id_sanitary_authorization");
  var onRequest = document.getElementById("id_price_on_request");
  var price = document.getElementById("id_price");
  function update() {
    if (category && onssa) {
      var food = (category.getAttribute("data-food") || "").split(" ").indexOf(category.value) >= 0;
      onssa.required = food;
    }
    if (onRequest && price) { price.disabled = onRequest.checked; }
  }
  if (category) category.addEventListener("change", update);
  if (onRequest) onRequest.addEventListener("change", update);
  update();
})();
