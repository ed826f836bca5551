## Reporting a sale or a return.

sale-ask-amount = مبلغ فروش چقدر بود؟ (مثلاً ۲۵۰ هزار تومان یا ۲۵۰۰۰۰)
return-ask-amount = مبلغ مرجوعی یا پولی که پس دادید چقدر بود؟ (مثلاً ۵۰ هزار تومان)
sale-ask-item =
    { $kind ->
        [return] چه جنسی پس آمد؟
       *[sale] چه جنسی بود؟
    } { $choices ->
        [yes] بنویسید یا یکی از دکمه‌ها را بزنید.
       *[no] بنویسید.
    }
sale-ask-customer =
    { $kind ->
        [return] چه کسی پس آورد؟
       *[sale] به چه کسی فروختید؟
    } { $choices ->
        [yes] نامش را بنویسید، یکی از دکمه‌ها را بزنید، یا «بدون نام مشتری» را بزنید.
       *[no] نامش را بنویسید، یا «بدون نام مشتری» را بزنید.
    }
sale-ask-day =
    چه روزی بود؟ امروز { $today } است.
    یکی از دکمه‌ها را بزنید یا تاریخ را بنویسید، مثلاً { $example }
sale-ask-photo = اگر عکس فاکتور دارید، آن را بفرستید؛ وگرنه «بدون عکس» را بزنید.

btn-skip-customer = بدون نام مشتری
btn-skip-photo = بدون عکس
btn-today = امروز
btn-yesterday = دیروز
btn-confirm = ✅ تأیید
btn-edit = ✏️ ویرایش
btn-back = ↩️ بازگشت
btn-field-amount = مبلغ
btn-field-item = جنس
btn-field-customer = مشتری
btn-field-day = تاریخ
btn-field-photo = عکس

sale-summary =
    { $kind ->
        [return] خلاصهٔ مرجوعی:
       *[sale] خلاصهٔ فروش:
    }
    💰 مبلغ: { $amount }
    📦 جنس: { $item }
    👤 مشتری: { $customer }
    📅 تاریخ: { $day }
    🖼 عکس فاکتور: { $photo }
summary-lead = 👇 لطفاً خلاصه را ببینید.
sale-summary-hint = اگر درست است، «تأیید» را بزنید. اگر نه، «ویرایش» را بزنید.
sale-no-customer = ثبت نشده
sale-photo-yes = دارد
sale-photo-no = ندارد
sale-stored-mark = ✅ ثبت شد.

sale-saved =
    فروش شما ثبت شد ✅
    در { $months } ماه اخیر، { $count } فروش ثبت کرده‌اید.
return-saved = مرجوعی ثبت شد ✅
sale-already-saved = این فروش قبلاً ثبت شده است و دوباره ثبت نمی‌شود.
sale-cancelled = گزارش لغو شد و چیزی ثبت نشد.
sale-only-entrepreneurs = ثبت فروش فقط برای کارآفرینان است.
quick-report-which-amount = در این پیام نفهمیدم کدام عدد مبلغ است. مبلغ را جدا بنویسید.
quick-report-price-each = لطفاً مبلغ کل را بنویسید، نه قیمت هر دانه یا هر کیلو.
quick-report-example = برای ثبت سریع این‌طور بنویسید: فروش ۲۵۰ هزار روسری

amount-error-empty = مبلغ را ننوشتید. لطفاً مبلغ را با عدد بنویسید، مثلاً { $example }.
amount-error-not-understood = این مبلغ را متوجه نشدم. لطفاً فقط مبلغ را بنویسید، مثلاً ۲۵۰۰۰۰ یا ۲۵۰ هزار تومان یا ۱٫۵ میلیون.
amount-error-negative = مبلغ نمی‌تواند منفی باشد. اگر جنسی پس آمده است، «انصراف» را بزنید و بعد «ثبت مرجوعی» را.
amount-error-negative-plain = مبلغ نمی‌تواند منفی باشد. مبلغ را بدون علامت منفی بنویسید.
amount-error-negative-at-rest = مبلغ نمی‌تواند منفی باشد. اگر جنسی پس آمده است، «ثبت مرجوعی» را بزنید.
amount-error-zero = مبلغ نمی‌تواند صفر باشد. لطفاً مبلغ واقعی را بنویسید.
amount-error-fraction = مبلغ باید به تومانِ کامل باشد، مثلاً { $example }.
amount-error-phone = این شبیه شمارهٔ تلفن است. لطفاً مبلغ را بنویسید، مثلاً { $example }.
amount-error-hidden-direction = در این پیام نشانه‌های پنهانی هست که ترتیب رقم‌ها را عوض می‌کند. لطفاً مبلغ را دوباره تایپ کنید.
money-in-words = { $digits } تومان — { $words }
amount-ask-which = این مبلغ را چند جور می‌شود خواند. منظورتان کدام است؟ یکی از دکمه‌ها را بزنید.
amount-choice =
    { $unit ->
        [million] { $count } میلیون تومان
        [thousand] { $count } هزار تومان
       *[one] { $count } تومان
    }
amount-error-too-large = این مبلغ بیشتر از { $max } تومان است و ثبت نمی‌شود. لطفاً مبلغ را دوباره بنویسید.

day-error-not-understood = این تاریخ را متوجه نشدم. لطفاً «امروز» یا «دیروز» را بزنید، یا تاریخ را مثل { $example } بنویسید.
day-error-no-such-day = چنین روزی در تقویم نیست. لطفاً تاریخ را دوباره بنویسید، مثلاً { $example }
day-error-future =
    { $kind ->
        [payment] این تاریخ هنوز نرسیده است. لطفاً تاریخ پرداخت را بنویسید.
        [return] این تاریخ هنوز نرسیده است. لطفاً تاریخ مرجوعی را بنویسید.
       *[sale] این تاریخ هنوز نرسیده است. لطفاً تاریخ فروش را بنویسید.
    }
day-error-too-old = این تاریخ بیش از یک سال پیش است. لطفاً تاریخ درست را بنویسید یا با مددکارتان تماس بگیرید.

sale-error-expected-photo = لطفاً عکس فاکتور را بفرستید یا «بدون عکس» را بزنید.
sale-error-amount-as-item = این مبلغ است، نه نام جنس. مبلغ را قبلاً نوشته‌اید.
payment-error-expected-photo = لطفاً عکس رسید پرداخت را بفرستید یا «بدون عکس» را بزنید.
report-menu-button = شما وسط یک گزارش هستید. به سؤال جواب بدهید، یا «انصراف» را بزنید.
sale-error-use-buttons = لطفاً یکی از دکمه‌های زیر خلاصه را بزنید: «تأیید»، «ویرایش» یا «انصراف».
