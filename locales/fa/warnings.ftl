## Early warnings: alerts, digests, reminders and official notices.

ev-no-sales = { $days } روز بدون گزارش فروش
ev-no-sales-usual = { $days } روز بدون گزارش فروش (معمولاً هر { $usual } روز یک فروش)
ev-sales-falling = فروش ۳۰ روز اخیر { $now } تومان؛ میانگین ماهانهٔ سه ماه پیش از آن { $before } تومان
ev-prices-falling = میانگین مبلغ هر فروش از { $before } به { $now } تومان رسیده است
ev-returns = { $returns } مرجوعی در برابر { $sales } فروش در ۳۰ روز اخیر
ev-overdue = قسط { $due } با { $days } روز تأخیر؛ { $amount } تومان معوق
ev-checkins-missed = { $count } گزارش هفتگی پشت سر هم بی‌پاسخ
ev-hard-weeks = { $count } هفتهٔ سخت پشت سر هم در گزارش هفتگی
ev-no-response = { $days } روز بی‌خبری، با وجود { $reminders } یادآوری
ev-blocked = از { $since } ربات را مسدود کرده یا حسابش حذف شده است
ev-reported = گزارش هفتگی { $on }: { $what }

alert-head = 🔔 هشدار: { $name } — سطح { $level } — { $business }
alert-scenario =
    سناریوی محتمل: { $number }. { $name } (زمان بازیابی: { $recovery })
    اقدام فوری مددکار:
btn-alert-reminder = 📩 یادآوری
btn-alert-notice = 📜 اخطار رسمی
btn-alert-review = ⏸ توقف و بازبینی
btn-alert-false = ✖️ هشدار اشتباه
btn-alert-snooze = 💤 تعویق
btn-snooze-days = { $days } روز

digest-head = 📋 خلاصهٔ روزانهٔ { $day }
digest-alerts = { $count } هشدار تازه؛ برای دیدن هر کدام، نامش را بزنید:
digest-alert-line = { $name } — { $scenario }
digest-checkins = گزارش‌های هفتگی که نیاز به اقدام فوری نداشتند:
digest-checkin-line = { $name }: { $mood } — { $what }

reminder-no-sales = { $name } عزیز، چند روزی است فروشی ثبت نکرده‌اید. هر فروشی را، حتی کوچک، با «ثبت فروش» ثبت کنید. اگر مشکلی هست، به مددکارتان بگویید.
reminder-installment =
    { $when ->
        [today] یادآوری: قسط وام شما امروز ({ $day }) سررسید می‌شود. مبلغ: { $amount } تومان. بعد از پرداخت، «پرداخت قسط» را بزنید.
        [tomorrow] یادآوری: قسط وام شما فردا ({ $day }) سررسید می‌شود. مبلغ: { $amount } تومان.
        [past] یادآوری: قسط وام شما از { $day } سررسید شده و هنوز پرداخت نشده است. مبلغ: { $amount } تومان. بعد از پرداخت، «پرداخت قسط» را بزنید.
       *[later] یادآوری: قسط وام شما { $day } سررسید می‌شود. مبلغ: { $amount } تومان.
    }
reminder-from-caseworker = { $name } عزیز، مددکارتان حال شما را می‌پرسد. لطفاً فروش‌ها و قسط‌هایتان را ثبت کنید، یا با او تماس بگیرید.
reminder-queued = یادآوری برای { $name } در صف ارسال است.
reminder-already-today = امروز یک یادآوری برای این کارآفرین فرستاده شده است.

notice-text =
    📜 اخطار رسمی
    { $name } گرامی،
    { $facts }
    لطفاً هر چه زودتر با مددکارتان تماس بگیرید تا با هم راهی برای ادامهٔ کار پیدا کنیم.
    تاریخ: { $today }
notice-fact-overdue = طبق دفتر وامتان، { $amount } تومان از قسط‌هایتان از { $due } پرداخت نشده است.
notice-fact-no-sales = از { $since } فروشی ثبت نکرده‌اید.
notice-fact-no-sales-since-joining = از وقتی عضو شدید ({ $since }) فروشی ثبت نکرده‌اید.
notice-fact-checkins-missed = به { $count } گزارش هفتگی آخر جواب نداده‌اید.
notice-fact-no-response = از { $since } پیامی از شما نرسیده است، با اینکه { $reminders } یادآوری فرستادیم.
notice-nothing-to-state =
    سوابق امروز چیزی برای اخطار رسمی به { $name } نشان نمی‌دهد: قسطی عقب نیفتاده و روزهای بی‌فروش یا بی‌خبری ثبت نشده است.
    اگر لازم است، «یادآوری» را بزنید.
btn-notice-send = ✅ ارسال اخطار
btn-notice-cancel = ✖️ انصراف
btn-notice-ack = دریافت کردم
notice-preview = پیش‌نمایش اخطار رسمی؛ فقط با «ارسال اخطار» فرستاده می‌شود:
notice-preview-open = پیش‌نمایش این اخطار را بالاتر فرستادم؛ همان را بفرستید یا لغو کنید.
notice-preview-changed = سوابق از وقت پیش‌نمایش عوض شده است. اخطار فرستاده نشد؛ این متن تازهٔ آن است و با «ارسال اخطار» فرستاده می‌شود:
notice-withdrawn = اخطار رسمی به { $name } فرستاده نشد: پیش از رسیدن آن، سوابق عوض شد و دیگر درست نبود (مثلاً قسطی پرداخت شد). اگر هنوز لازم است، از هشدار دوباره «اخطار رسمی» را بزنید.
notice-queued = اخطار رسمی برای { $name } فرستاده می‌شود. از رسیدن و دیدن آن باخبر می‌شوید.
notice-cancelled = اخطار فرستاده نشد.
notice-delivered = 📬 اخطار رسمی به { $name } رسید.
notice-acknowledged = ✅ { $name } دریافت اخطار رسمی را تأیید کرد.
notice-ack-thanks = ممنون؛ دریافت اخطار ثبت شد. لطفاً با مددکارتان تماس بگیرید.

review-opened = توقف و بازبینی برای { $name } باز شد. ریشهٔ مشکل را پیدا کنید و برنامهٔ اصلاحی کوتاه و مهلت‌دار تعیین کنید.
review-already-open = بازبینی { $name } از قبل باز است.
alert-marked-false = این هشدار به‌عنوان «اشتباه» ثبت شد؛ تا وقتی وضعیت بدتر نشود، دوباره هشدار نمی‌آید.
alert-snooze-ask = هشدار چند روز به تعویق بیفتد؟
alert-snoozed = هشدار تا { $until } به تعویق افتاد.
