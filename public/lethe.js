// Lethe works without this script. With it, switching the language keeps what was typed in the
// page's forms: the values go to sessionStorage for the one page load that follows, and are
// removed as soon as they are put back. Passwords, files and hidden fields are never kept.
(function () {
  "use strict";
  var KEY = "lethe-kept-form";

  function keepable(field) {
    return field.name && !field.disabled && ["hidden", "password", "file", "submit", "button"].indexOf(field.type) < 0;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-keep-form]");
    if (!link) return;
    var values = [];
    document.querySelectorAll("main form input, main form textarea, main form select").forEach(function (field) {
      if (!keepable(field)) return;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) values.push([field.name, field.value, true]);
      } else if (field.value) {
        values.push([field.name, field.value, false]);
      }
    });
    if (!values.length) return;
    var target = new URL(link.href, location.href).searchParams.get("return") || "/";
    sessionStorage.setItem(KEY, JSON.stringify({ path: target.split("?")[0], values: values }));
  });

  document.addEventListener("DOMContentLoaded", function () {
    var kept = sessionStorage.getItem(KEY);
    if (!kept) return;
    sessionStorage.removeItem(KEY);
    kept = JSON.parse(kept);
    if (kept.path !== location.pathname) return;
    kept.values.forEach(function (entry) {
      var fields = document.getElementsByName(entry[0]);
      for (var i = 0; i < fields.length; i++) {
        var field = fields[i];
        if (!keepable(field)) continue;
        if (entry[2]) {
          if (field.value === entry[1]) field.checked = true;
        } else if (field.tagName === "SELECT" || field.type !== "checkbox") {
          field.value = entry[1];
        }
      }
    });
  });
})();

// A copy button beside the private link on the receipt; without the script the link is still
// there to select and copy.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll("input[data-copy-button]").forEach(function (field) {
    if (!navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = field.getAttribute("data-copy-button");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = field.getAttribute("data-copied");
      });
    });
    field.insertAdjacentElement("afterend", button);
  });
});

// The application form: the CV's size and type are checked as soon as it is chosen, with the
// server's own words, and the form is sent with a progress bar. The server checks everything
// again; without the script the form is sent the ordinary way.
(function () {
  "use strict";

  function problem(input) {
    var file = input.files && input.files[0];
    if (!file) return null;
    if (file.size > Number(input.getAttribute("data-max-bytes"))) return input.getAttribute("data-too-large");
    var dot = file.name.lastIndexOf(".");
    var extension = dot < 0 ? "" : file.name.slice(dot).toLowerCase();
    var accepted = (input.getAttribute("accept") || "").split(",");
    if (accepted.indexOf(extension) < 0) return input.getAttribute("data-wrong-type");
    return null;
  }

  // Shows the check's message at the field; true when the file may be sent.
  function check(input) {
    var message = problem(input);
    var box = document.getElementById("cv-check");
    if (!box) return true;
    box.textContent = message || "";
    box.hidden = !message;
    if (message) input.setAttribute("aria-invalid", "true"); else input.removeAttribute("aria-invalid");
    return !message;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("form[data-upload-form] input[type=file]")) check(event.target);
  });

  // A page the server sent back (the form with its errors) replaces this one; the listeners
  // above are on the document and keep working.
  function show(html) {
    document.documentElement.innerHTML = new DOMParser().parseFromString(html, "text/html").documentElement.innerHTML;
    window.scrollTo(0, 0);
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-form]") || !window.XMLHttpRequest || !window.FormData) return;
    var input = form.querySelector("input[type=file]");
    if (input && !check(input)) {
      event.preventDefault();
      input.focus();
      return;
    }
    event.preventDefault();
    var status = document.getElementById("upload-status");
    var bar = status.querySelector("progress");
    var label = status.querySelector("span");
    var button = form.querySelector("button[type=submit]");
    function progress(percent) {
      bar.value = percent;
      label.textContent = form.getAttribute("data-sending").replace("{percent}", String(percent));
    }
    status.hidden = false;
    button.disabled = true;
    progress(0);
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) progress(Math.floor(e.loaded * 100 / e.total));
    });
    request.addEventListener("load", function () {
      var landed = new URL(request.responseURL, location.href);
      if (request.status === 200 && landed.pathname !== new URL(form.action, location.href).pathname) {
        location.assign(landed.href);  // stored: the receipt, loaded as a page of its own
      } else {
        show(request.responseText);
      }
    });
    request.addEventListener("error", function () {
      status.hidden = true;
      button.disabled = false;
      var box = document.getElementById("cv-check");
      box.textContent = form.getAttribute("data-interrupted");
      box.hidden = false;
    });
    request.send(new FormData(form));
  });
})();

// A form sent back with errors: focus goes to the summary at its top, so a screen reader reads
// what to fix and the summary's links lead to each field.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
});

// Closing, archiving, disabling and removing ask first: a form with `data-confirm` is sent only
// once the person agrees. Without the script the form is sent at once, as a button says what it does.
document.addEventListener("submit", function (event) {
  "use strict";
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
}, true);
