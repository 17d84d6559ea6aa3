// The editorial calendar, with a mouse: drag a scheduled entry onto another day to move
// it there at the same time of day. It fills in and sends the entry's own "Move" form,
// so the server's rules and messages are the same; the form works without this script.
(() => {
  const calendar = document.querySelector(".calendar");
  if (!calendar) return;
  const TYPE = "application/x-calendar-entry"; // only our entries are dropped

  for (const entry of calendar.querySelectorAll(".entry")) {
    const input = entry.querySelector(".move-form input[type=datetime-local]");
    if (!input) continue;
    entry.draggable = true;
    entry.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData(TYPE, input.id);
      event.dataTransfer.effectAllowed = "move";
    });
  }

  for (const day of calendar.querySelectorAll(".day")) {
    day.addEventListener("dragover", (event) => {
      if (!event.dataTransfer.types.includes(TYPE)) return;
      event.preventDefault();
      day.classList.add("drop-target");
    });
    day.addEventListener("dragleave", () => day.classList.remove("drop-target"));
    day.addEventListener("drop", (event) => {
      day.classList.remove("drop-target");
      const input = document.getElementById(event.dataTransfer.getData(TYPE));
      if (!input) return;
      event.preventDefault();
      const [date, time] = input.value.split("T");
      const target = day.id.replace("day-", "");
      if (target === date) return;
      input.value = `${target}T${time || "09:00"}`;
      input.form.requestSubmit();
    });
  }
})();
