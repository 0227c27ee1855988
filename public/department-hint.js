// The create form's department hint, as the customer types (views/partials/department-hint.ejs).
// web/department-hint-script.ts serves this after the domain's suggester, which it names
// `suggestion`: the browser suggests with the very code the server does. The hint never changes
// the chosen department; only its button does, when pressed.
var box = document.getElementById('department-hint');
var form = box && box.closest('form');
if (form) {
  var data = JSON.parse(box.getAttribute('data-suggest'));
  var suggest = suggestion.departmentSuggester(data.departments);
  var subject = form.querySelector('#subject');
  var message = form.querySelector('#message');
  var radios = form.querySelectorAll('input[name="departmentId"]');
  // What the hint says now, so that typing on without a change announces nothing new.
  var shownKey = '';
  var timer = 0;

  var chosen = function () {
    var radio = form.querySelector('input[name="departmentId"]:checked');
    return radio ? Number(radio.value) : null;
  };
  var fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  };
  var departmentOf = function (found) {
    return (
      found &&
      data.departments.find(function (d) {
        return d.id === found.departmentId;
      })
    );
  };
  // Nothing when the customer has chosen that department already.
  var keyOf = function (found) {
    var department = departmentOf(found);
    return department && department.id !== chosen() ? department.id + '|' + (found.topic || '') : '';
  };
  var show = function (found) {
    var key = keyOf(found);
    if (key === shownKey) return;
    var department = departmentOf(found);
    shownKey = key;
    box.textContent = '';
    if (!key) return;
    var text = document.createElement('span');
    text.textContent = found.topic
      ? fill(data.withTopic, { topic: found.topic, department: department.name })
      : fill(data.plain, { department: department.name });
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn';
    button.value = String(department.id);
    button.textContent = data.choose;
    var line = document.createElement('p');
    line.className = 'notice';
    line.append(text, ' ', button);
    box.append(line);
  };
  var current = function () {
    return suggest(subject.value + '\n' + message.value, data.locale);
  };
  var update = function () {
    show(current());
  };

  // The hint the page came with (a form shown again) stays as it is, and its button now works.
  var served = box.querySelector('button');
  if (served) {
    served.hidden = false;
    if (keyOf(current()).split('|')[0] === served.value) shownKey = keyOf(current());
  }
  box.addEventListener('click', function (event) {
    var button = event.target.closest('button');
    if (!button) return;
    var radio = form.querySelector('input[name="departmentId"][value="' + button.value + '"]');
    if (!radio) return;
    radio.checked = true;
    radio.dispatchEvent(new Event('change', { bubbles: true }));
    // The button goes with the hint: the choice it made is where the focus belongs.
    radio.focus();
  });
  var later = function () {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  };
  subject.addEventListener('input', later);
  message.addEventListener('input', later);
  radios.forEach(function (radio) {
    radio.addEventListener('change', update);
  });
  update();
}
