// "Exit this page" (the GOV.UK pattern): leave at once, by the button or by
// pressing Escape three times. The button is a plain link to our exit route,
// which deletes the family's answers on the server and redirects to a
// neutral site; everything works without this file. With it, the answers
// are also wiped from the page first, and the page is replaced in the
// history, so Back does not bring it up again.
(function () {
  var links = document.querySelectorAll("[data-exit-this-page]");
  if (!links.length) { return; }
  var exitRoute = links[0].href;

  function clearAnswers() {
    var fields = document.querySelectorAll("main input, main textarea, main select");
    Array.prototype.forEach.call(fields, function (field) {
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return; }
      if (field.type === "checkbox" || field.type === "radio") { field.checked = false; }
      else { field.value = ""; }
    });
  }

  function leave(event) {
    if (event) { event.preventDefault(); }
    clearAnswers();
    document.body.style.visibility = "hidden";
    window.location.replace(exitRoute);  // replace: this page is not left in the history
  }
  links.forEach(function (link) { link.addEventListener("click", leave); });

  // "Delete my answers": wipe the page too, then let the form post.
  document.querySelectorAll("[data-clear-answers]").forEach(function (form) {
    form.addEventListener("submit", clearAnswers);
  });

  var presses = 0, timer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") { return; }
    presses += 1;
    clearTimeout(timer);
    timer = setTimeout(function () { presses = 0; }, 5000);
    if (presses >= 3) { leave(); }
  });
}());
