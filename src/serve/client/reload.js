// Live reload for `wegwijzer serve`; never part of a built site.
// The server sends `hello` on connect, `reload` after a build that changed
// the site, and `error` after a build that failed. The error overlay is made
// with DOM methods and textContent only, and styled by overlay.css: the site
// runs under a CSP without inline scripts or styles.
(function () {
  "use strict";
  if (!window.EventSource) {
    return;
  }
  var overlay = null;
  var build = null;

  function here() {
    var p = location.pathname;
    try {
      p = decodeURIComponent(p);
    } catch (e) {
      // Keep the encoded form.
    }
    return p;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function clear() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  function stylesheet() {
    if (!document.getElementById("wegwijzer-overlay-css")) {
      var link = document.createElement("link");
      link.id = "wegwijzer-overlay-css";
      link.rel = "stylesheet";
      link.href = "/__wegwijzer/overlay.css";
      (document.head || document.documentElement).appendChild(link);
    }
  }

  function show(data) {
    clear();
    stylesheet();
    overlay = el("div", "wegwijzer-overlay");
    overlay.id = "wegwijzer-overlay";
    overlay.setAttribute("role", "alert");
    var box = el("div", "wegwijzer-box");
    box.appendChild(el("h2", "wegwijzer-title", "The last edit broke the build"));
    box.appendChild(el("p", "wegwijzer-lead",
      "You see the last good version of the site. Fix the error and save: this message goes away by itself."));
    var list = el("ol", "wegwijzer-errors");
    (data.errors || []).forEach(function (d) {
      var li = el("li", "wegwijzer-error");
      var where = d.file;
      if (d.line) {
        where += ":" + d.line + (d.column ? ":" + d.column : "");
      }
      li.appendChild(el("code", "wegwijzer-where", where));
      li.appendChild(el("span", "wegwijzer-code", " error[" + d.code + "]"));
      li.appendChild(el("p", "wegwijzer-message", d.message));
      if (d.hint) {
        li.appendChild(el("p", "wegwijzer-hint", "help: " + d.hint));
      }
      list.appendChild(li);
    });
    box.appendChild(list);
    var more = (data.total || 0) - (data.errors || []).length;
    if (more > 0) {
      box.appendChild(el("p", "wegwijzer-more", "And " + more + " more: see the terminal."));
    }
    var close = el("button", "wegwijzer-close", "Close");
    close.type = "button";
    close.addEventListener("click", clear);
    box.appendChild(close);
    overlay.appendChild(box);
    (document.body || document.documentElement).appendChild(overlay);
  }

  document.addEventListener("keydown", function (e) {
    if (overlay && e.key === "Escape") {
      clear();
    }
  });

  var source = new EventSource("/__wegwijzer/events");
  source.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    // A new build (or a restarted server) while this page was not listening.
    if (build !== null && d.build !== build) {
      location.reload();
      return;
    }
    build = d.build;
    if (d.ok) {
      clear();
    }
  });
  source.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    build = d.build;
    clear();
    var p = here();
    if (d.paths === null || d.paths.indexOf(p) >= 0 || d.paths.indexOf(p + "/") >= 0) {
      location.reload();
    }
  });
  source.addEventListener("error", function (e) {
    // EventSource fires a plain `error` when the connection drops (it then
    // retries); the server's `error` events carry data.
    if (typeof e.data !== "string") {
      return;
    }
    show(JSON.parse(e.data));
  });
})();
