// Without ?tz=, show the page in the browser's own time zone. The page works without
// this script: the zone picker does the same by hand.
(function () {
  var u = new URL(window.location.href);
  if (u.searchParams.get("tz")) return;
  var z;
  try { z = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!z) return;
  u.searchParams.set("tz", z);
  window.location.replace(u.toString());
})();
