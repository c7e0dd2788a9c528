// The report page's Print link, without an inline script (the Content-Security-Policy allows scripts from this site only).
document.addEventListener("DOMContentLoaded", function () {
  var link = document.getElementById("print-report");
  if (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  }
});
