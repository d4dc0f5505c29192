// Loaded first in <body>: marks the page as JavaScript-enabled for GOV.UK
// Frontend. A file rather than an inline script because the CSP forbids those.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
