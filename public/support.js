// Small improvements of the plugin's pages; every page works without them (no JavaScript, no
// change in what is sent). Strings come from the page itself, in its language.
(function () {
  'use strict';

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  // The subject's length, as the server counts it (trimmed). Typing past the limit is allowed:
  // the counter says so, and the server refuses with the text kept. The live region speaks only
  // when the state changes (a few characters left, over the limit), not at every key.
  function subjectCounter(input) {
    var max = Number(input.getAttribute('data-max'));
    var counter = document.getElementById('subject-limit');
    var live = document.getElementById('subject-live');
    if (!max || !counter || !live) return;
    var state = 'ok';
    function update() {
      var count = input.value.trim().length;
      var next = count > max ? 'over' : max - count <= 10 ? 'near' : 'ok';
      counter.textContent =
        next === 'over'
          ? fill(counter.getAttribute('data-over'), { over: count - max })
          : fill(counter.getAttribute('data-count'), { count: count });
      counter.classList.toggle('support-over', next === 'over');
      if (next !== state) {
        live.textContent =
          next === 'over'
            ? counter.textContent
            : next === 'near'
              ? fill(counter.getAttribute('data-near'), { left: max - count })
              : '';
        state = next;
      }
    }
    input.addEventListener('input', update);
    update();
  }

  // The names of the chosen files, in the page's language (the browser words its own button).
  function chosenFiles(input) {
    var list = document.getElementById(input.id + '-chosen');
    if (!list) return;
    input.addEventListener('change', function () {
      var names = Array.prototype.map.call(input.files || [], function (f) {
        return f.name;
      });
      list.textContent = names.length ? fill(input.getAttribute('data-chosen'), { names: names.join(', ') }) : '';
    });
  }

  // What counts as an emergency shows as soon as an urgent department is chosen; its checkbox
  // confirms it, so the form need not come back to ask.
  function emergencyNote(form) {
    var box = document.getElementById('emergency-confirm');
    if (!box) return;
    var radios = form.querySelectorAll('input[name="departmentId"]');
    function update() {
      var urgent = false;
      Array.prototype.forEach.call(radios, function (radio) {
        if (radio.checked && radio.hasAttribute('data-urgent')) urgent = true;
      });
      box.hidden = !urgent;
    }
    Array.prototype.forEach.call(radios, function (radio) {
      radio.addEventListener('change', update);
    });
    update();
  }

  var subject = document.querySelector('.support #subject[data-max]');
  if (subject) subjectCounter(subject);
  Array.prototype.forEach.call(document.querySelectorAll('.support .support-file-input'), chosenFiles);
  var departments = document.getElementById('departments');
  if (departments && departments.form) emergencyNote(departments.form);
})();
