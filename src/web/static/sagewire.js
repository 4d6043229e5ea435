// Sagewire's only script besides htmx (loaded as a file: the Content-Security-Policy allows no inline
// script). It adds the CSRF header to htmx requests, shows htmx errors, and wires the copy buttons and
// the phone menu. Every page works without it.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  function requestError(text) {
    var box = document.getElementById('request-error');
    if (!box) return;
    if (text) {
      box.textContent = text;
      box.hidden = false;
    } else {
      box.hidden = true;
      box.textContent = '';
    }
  }

  document.addEventListener('htmx:configRequest', function (event) {
    var token = csrfToken();
    if (token) event.detail.headers['X-CSRF-Token'] = token;
  });
  document.addEventListener('htmx:beforeRequest', function () {
    requestError('');
  });
  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    var text = xhr?.responseText && xhr.responseText.length < 500 ? xhr.responseText : `The request failed (${xhr ? xhr.status : '?'}).`;
    requestError(text);
  });
  document.addEventListener('htmx:sendError', function () {
    requestError('Cannot reach Sagewire. Is it still running?');
  });

  function copy(button) {
    var target = document.querySelector(button.getAttribute('data-copy'));
    if (!target) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      setTimeout(function () {
        button.textContent = label;
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(target.value).then(done, function () {
        target.select();
      });
    } else {
      target.select();
      try {
        if (document.execCommand('copy')) done();
      } catch (_e) {
        /* the text stays selected for Ctrl+C */
      }
    }
  }

  function wire(root) {
    root.querySelectorAll('[data-copy]').forEach(function (button) {
      if (button.dataset.wired) return;
      button.dataset.wired = '1';
      button.hidden = false;
      button.addEventListener('click', function () {
        copy(button);
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    wire(document);
    var toggle = document.querySelector('.menu-toggle');
    var nav = document.getElementById('site-nav');
    if (toggle && nav) {
      document.documentElement.classList.add('js-menu');
      toggle.hidden = false;
      toggle.addEventListener('click', function () {
        var open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        nav.classList.toggle('open', open);
      });
    }
  });
  document.addEventListener('htmx:load', function (event) {
    wire(event.detail.elt.parentNode || document);
  });
})();
