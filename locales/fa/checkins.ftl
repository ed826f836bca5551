## The weekly check-in.

btn-checkin = 📝 گزارش هفتگی
btn-obstacles-none = هیچ‌کدام
btn-obstacles-done = ✔️ تمام
btn-no-message = نه، پیامی ندارم

mood-1 = 😣 خیلی سخت
mood-2 = 😟 سخت
mood-3 = 😐 معمولی
mood-4 = 🙂 خوب
mood-5 = 😄 خیلی خوب

obstacle-sales = فروش یا مشتری‌ها کم شد
obstacle-complaints = مشتری گله کرد یا جنس را پس داد
obstacle-money = پول یا بدهی
obstacle-family = خانواده یا بیماری
obstacle-interest = دیگر به این کار علاقه ندارم
obstacle-moving = جابه‌جایی یا تعطیلی محل کار
obstacles-none = هیچ‌کدام

checkin-ask-mood = گزارش هفتگی: هفتهٔ گذشته کار و کاسبی‌تان چطور گذشت؟
checkin-ask-obstacles = هفتهٔ گذشته چه مشکلی داشتید؟ هر چند تا که هست بزنید، بعد «تمام» را بزنید.
checkin-ask-note = اگر حرفی با مددکارتان دارید، بنویسید یا پیام صوتی بفرستید. وگرنه «نه، پیامی ندارم» را بزنید.
checkin-note-expected = لطفاً پیامتان را بنویسید یا پیام صوتی بفرستید، یا «نه، پیامی ندارم» را بزنید.
checkin-thanks = ممنون! گزارش هفتگی شما ثبت شد. 🌱
checkin-already-done = گزارش هفتگی را قبلاً فرستاده‌اید. ممنون!
checkin-closed = وقت این گزارش هفتگی گذشته است، یا آن را قبلاً فرستاده‌اید.

urgent-hard-week-twice = دو هفتهٔ سخت پشت سر هم
urgent-family = مشکل خانوادگی یا بیماری
urgent-moving = جابه‌جایی یا تعطیلی محل کار
urgent-message = پیامی برای شما دارد
checkin-urgent =
    🔔 گزارش هفتگی { $name } نیاز به توجه دارد: { $why }
    حال هفته: { $mood }
    موانع: { $obstacles }
checkin-urgent-note = پیام: { $note }
