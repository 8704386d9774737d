// "Exit this page": leave at once, and press Escape three times to do it
// from the keyboard (the GOV.UK pattern). The link works without this file.
(function () {
  var links = document.querySelectorAll("[data-exit-this-page]");
  if (!links.length) { return; }
  var target = links[0].href;
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.style.visibility = "hidden";
    window.location.replace(target);  // replace: the form is not left in history
  }
  links.forEach(function (link) { link.addEventListener("click", leave); });
  var presses = 0, timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { leave(); }
  });
}());
