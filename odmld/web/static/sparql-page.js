// The SPARQL page's YASGUI, configured here and not inline: the Content-Security-Policy lets a page
// run scripts from this site only. Without JavaScript the page keeps its plain forms, whose answers
// are HTML tables; with it, YASGUI replaces the plain query form and each library example can be
// opened in the editor with its parameters bound by the server (never pasted into the text here).
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || !window.Yasgui) { return; }
  var endpoint = new URL(root.getAttribute("data-endpoint"), window.location.href).href;
  var plain = document.getElementById("plain-query");
  var first = plain ? plain.querySelector("textarea").value : "";
  var yasgui = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    populateFromUrl: false,
    persistenceId: "odmld-sparql",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    // no autocompletion that asks other sites (LOV for classes and properties): this page talks to
    // this site only, as its connect-src says
    yasqe: { autocompleters: ["prefixes", "variables"], value: first }
  });
  if (plain) { plain.hidden = true; }
  // What YASGUI draws without a name or keyboard access (axe, WCAG 2.1 AA), named and made reachable
  // here, again whenever it draws more.
  var dutch = document.documentElement.lang === "nl";
  function accessible() {
    Array.prototype.forEach.call(root.querySelectorAll("textarea:not([aria-label])"), function (area) {
      area.setAttribute("aria-label", dutch ? "SPARQL-vraag" : "SPARQL query");
    });
    Array.prototype.forEach.call(root.querySelectorAll("input:not([aria-label])"), function (input) {
      input.setAttribute("aria-label", dutch ? "SPARQL-eindpunt" : "SPARQL endpoint");
    });
    // CodeMirror keeps its scrolling area out of the tab order (-1); a keyboard must reach it
    Array.prototype.forEach.call(root.querySelectorAll(".CodeMirror-scroll:not([tabindex='0'])"), function (area) {
      area.setAttribute("tabindex", "0");
    });
  }
  accessible();
  new MutationObserver(accessible).observe(root, { childList: true, subtree: true });
  var forms = document.querySelectorAll("form.example");
  Array.prototype.forEach.call(forms, function (form) {
    var button = form.querySelector("button.edit");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var query = new URLSearchParams(new FormData(form)).toString();
      fetch(form.getAttribute("data-text") + "?" + query, { headers: { Accept: "application/sparql-query" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
          return response.text();
        })
        .then(function (text) {
          var tab = yasgui.getTab();
          tab.setQuery(text);
          root.scrollIntoView();
          tab.query();
        })
        .catch(function (error) { window.alert(error.message); });
    });
  });
})();
