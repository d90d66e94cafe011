// Small progressive enhancements; every page works without them.
(function () {
  "use strict";
  // Confirmation before anything destructive: <form data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // Loading state: the submit button says it is busy and cannot be pressed twice.
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button && form.method.toLowerCase() === "post") {
      button.setAttribute("aria-busy", "true");
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });
  // Print buttons: <button data-print>.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });
})();
