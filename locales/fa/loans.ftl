## Loans, installments and payments.

btn-payment = 💳 پرداخت قسط
btn-my-loans = 🏦 وام من
btn-all-people = 👥 کارآفرینان
btn-record-loan = ➕ ثبت وام پرداخت‌شده
btn-payment-confirm = ✅ تأیید پرداخت
btn-payment-reject = ❌ رد پرداخت

loan-kind-1 = وام قرض‌الحسنه (سطح یک)
loan-kind-2 = وام توسعه (سطح دو)
loan-kind-3 = وام پیشرفته (سطح سه)
loan-state-active = فعال
loan-state-paused = متوقف برای بازبینی (در این مدت دیرکرد حساب نمی‌شود)
loan-state-stopped = متوقف‌شده (قسط تازه‌ای سررسید نمی‌شود)
loan-state-repaid = تسویه‌شده

loan-summary =
    🏦 { $kind }
    مبلغ وام: { $principal }
    کارمزد: { $fee }
    وضعیت: { $state }
    پرداخت‌شده: { $paid }
    مانده: { $outstanding }
    قسط بعدی: { $next }
loan-next-due = { $day } — { $amount } تومان
loan-no-next-due = ندارد
loan-overdue =
    ⚠️ { $amount } تومان از قسط‌هایتان { $days } روز عقب افتاده است.
    ({ $words })
loan-overdue-for-caseworker =
    ⚠️ قسط‌ها { $days } روز عقب افتاده است (گروه { $bucket }).
    مبلغ عقب‌افتاده: { $amount }
arrears-bucket = { $from } تا { $to } روز
arrears-bucket-last = بیش از { $over } روز
my-loans-none = شما وام فعالی ندارید.
installment-line = { $number }. { $day } — { $amount } تومان
installment-paid = ✅ پرداخت شد
installment-partly-paid = ⏳ { $paid } تومان پرداخت شده
installment-late = ⚠️ دیرکرد
installment-unpaid = ⬜️

person-card =
    👤 { $name }
    کسب‌وکار: { $business }
    سطح: { $level }
    شماره: { $phone }
    فاکتورهای فروش در { $months } ماه اخیر: { $invoices }
person-no-loans = وامی برای این کارآفرین ثبت نشده است.

loan-ask-amount = مبلغ وام پرداخت‌شده چقدر است؟ برای سطح { $level }، بین { $min } و { $max } تومان.
loan-ask-count = وام در چند قسط ماهانه بازپرداخت می‌شود؟
loan-ask-first-due = سررسید قسط اول چه روزی است؟ دکمهٔ تاریخ را بزنید یا تاریخ را بنویسید، مثلاً { $example }
loan-review =
    خلاصهٔ وام:
    { $kind }
    مبلغ: { $principal }
    کارمزد: { $fee }
    { $count } قسط ماهانه:
loan-error-amount = مبلغ وام را متوجه نشدم. لطفاً فقط مبلغ را بنویسید، مثلاً { $example }.
loan-error-out-of-range = این مبلغ در بازهٔ وام این سطح نیست. مبلغ باید بین { $min } و { $max } تومان باشد.
loan-error-no-facility = برای سطح این کارآفرین وامی تعریف نشده است. لطفاً با مدیریت تماس بگیرید.
loan-error-count = تعداد اقساط باید عددی بین ۱ و { $max } باشد.
loan-error-first-due-past = سررسید قسط اول نمی‌تواند گذشته باشد. لطفاً تاریخی از امروز به بعد بنویسید.
loan-error-first-due-not-understood = این تاریخ را متوجه نشدم. لطفاً دکمهٔ تاریخ را بزنید، یا تاریخ را مثل { $example } بنویسید.
loan-error-first-due-far = سررسید قسط اول بیش از یک سال دیگر است. لطفاً تاریخ را دوباره بنویسید.
loan-error-use-buttons = لطفاً یکی از دکمه‌های زیر خلاصه را بزنید: «تأیید» یا «انصراف».
day-error-too-far-ahead = این تاریخ خیلی دور است. لطفاً تاریخ را دوباره بنویسید.
loan-entry-cancelled = ثبت وام لغو شد و چیزی ثبت نشد.
loan-recorded = وام { $name } ثبت شد و جدول اقساط برایش فرستاده شد.
loan-already-recorded = این وام قبلاً ثبت شده است و دوباره ثبت نمی‌شود.
loan-recorded-for-you = وام شما ثبت شد. همهٔ قسط‌ها و روز هر کدام را در «وام من» می‌بینید.

payment-no-loan = وام فعالی برای پرداخت ندارید. اگر فکر می‌کنید اشتباهی شده است، با مددکارتان تماس بگیرید.
payment-ask-amount =
    { $button ->
        [yes] چه مبلغی پرداخت کردید؟ مبلغ را بنویسید یا دکمه را بزنید.
       *[no] چه مبلغی پرداخت کردید؟ مبلغ را بنویسید.
    }
payment-ask-photo = اگر عکس رسید پرداخت دارید، آن را بفرستید؛ وگرنه «بدون عکس» را بزنید.
amount-toman = { $amount } تومان
payment-summary =
    خلاصهٔ پرداخت قسط:
    💰 مبلغ: { $amount }
    📅 تاریخ: { $day }
    🖼 عکس رسید: { $photo }
payment-sent-mark = 📨 برای مددکار فرستاده شد.
payment-pending = پرداخت شما ثبت شد. وقتی مددکارتان آن را تأیید کند، از بدهی وامتان کم می‌شود.
payment-to-confirm =
    💳 { $name } پرداخت قسطی را گزارش کرده است:
    مبلغ: { $amount }
    تاریخ: { $day }
    پس از بررسی، تأیید یا رد کنید.
attachment-not-attached = (عکس رسید فرستاده نشد؛ اگر لازم است، از کارآفرین بخواهید دوباره بفرستد.)
payment-confirmed =
    ✅ پرداخت قسط شما تأیید شد.
    مبلغ: { $amount }
payment-overpaid =
    شما بیشتر از بدهی‌تان پرداخت کرده‌اید. مددکارتان دربارهٔ آن با شما صحبت می‌کند.
    مبلغ اضافه: { $amount }
payment-rejected =
    ❌ پرداخت قسط شما تأیید نشد. لطفاً با مددکارتان تماس بگیرید.
    مبلغ: { $amount }
    تاریخ: { $day }
payment-already-decided = دربارهٔ این پرداخت قبلاً تصمیم گرفته شده است.
payment-already-sent = این پرداخت قبلاً برای مددکار فرستاده شده است.
payment-confirmed-by-you =
    پرداخت { $name } تأیید و در اقساط ثبت شد.
    مبلغ: { $amount }
payment-rejected-by-you =
    پرداخت { $name } رد شد. به او هم خبر می‌دهیم.
    مبلغ: { $amount }

btn-loan-pause = ⏸ توقف و بازبینی وام { $principal }
btn-loan-resume = ▶️ ادامهٔ اقساط وام { $principal }
btn-loan-stop = ⛔ توقف نهایی وام { $principal }
loan-ask-reason = لطفاً دلیل را کوتاه بنویسید (برای پرونده ثبت می‌شود).
loan-state-change-not-allowed = این تغییر برای وضعیت فعلی این وام ممکن نیست.
loan-state-changed = وضعیت وام { $name } به «{ $state }» تغییر کرد. دلیل: { $reason }
loan-state-changed-for-you = وضعیت وام شما به «{ $state }» تغییر کرد. برای توضیح بیشتر با مددکارتان صحبت کنید.
