// Runs before the first paint (a classic script in <head>, a file because the page's
// Content-Security-Policy allows no inline script). The page's title and lede are static HTML in
// index.html, so a phone paints them before any of the app's JavaScript arrives; an embed
// (?panel=...) or present mode (?present=1) must not show them, an embed paints its figure's title
// instead, and ?theme= must colour that first paint. src/main.tsx then decides for good, with the
// app's own parsing of the same parameters, and removes what has no place in the view.
(function () {
  var q = new URLSearchParams(location.search);
  var d = document.documentElement;
  var flag = function (key) {
    var v = q.get(key);
    return v !== null && ['', '1', 'true', 'yes'].indexOf(v.trim().toLowerCase()) >= 0;
  };
  if (q.has('panel')) {
    d.setAttribute('data-boot-bare', '');
    // the figure's title, painted at once (index.html's #boot-embed)
    d.setAttribute('data-boot-panel', (q.get('panel') || '').trim().toLowerCase());
  } else if (flag('present')) d.setAttribute('data-boot-bare', '');
  var theme = q.get('theme');
  if (theme === 'light' || theme === 'dark') d.setAttribute('data-theme', theme);
  if (flag('large')) d.setAttribute('data-large', '');
})();
