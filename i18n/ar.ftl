### nashra: Arabic UI strings of the default theme (Project Fluent syntax,
### https://projectfluent.org/fluent/guide/). نصوص واجهة القالب الافتراضي بالعربية.
###
### This file is embedded in the nashra binary. A site overrides any message by
### defining the same id in its own i18n/ar.ftl; messages it leaves out keep the
### text below. Every id listed in docs/themes.md must exist here and in en.ftl.
###
### Variables ($count, $date, ...) are filled in by nashra. Numbers arrive already
### formatted (Arabic-Indic digits with `numerals: arab` in site.yaml). In
### `{ $count -> ... }` an exact key such as [0] matches first, then the CLDR
### plural category; Arabic has six: zero (0), one (1), two (2), few (3-10, 103-110,
### ...), many (11-99, 111-199, ...) and other (100, 101, 102, ...). Count phrases
### below follow the Arabic number-noun agreement rules for each category.
### nashra inserts no bidi isolation marks: templates wrap text of the other
### direction (an English name, say) in <bdi> themselves.

-brand = نشرة

## Layout and navigation

site-nav-label = القائمة الرئيسية
nav-home = الرئيسية
nav-topics = الموضوعات
nav-entities = الأعلام
nav-search = بحث
skip-to-content = انتقل إلى المحتوى الرئيسي
language-switch-label = اللغة
other-languages = لغات أخرى
footer-built-with = أُنشئ باستخدام { -brand }

## Articles

# $language: the name of the language the article is missing in.
translation-missing = هذا المقال غير متاح باللغة { $language }.
# $date: an already localized date.
published-on = نُشر في { $date }
updated-on = آخر تحديث: { $date }
byline = بقلم { $author }
reading-time = { $minutes ->
    [zero] أقل من دقيقة قراءة
    [one] دقيقة قراءة واحدة
    [two] دقيقتا قراءة
    [few] { $minutes } دقائق قراءة
    [many] { $minutes } دقيقة قراءة
   *[other] { $minutes } دقيقة قراءة
}
topics-in-article = نُشر ضمن
entities-in-article = أعلام في هذا المقال
related-articles = مقالات ذات صلة

## Lists, topics and names

latest-heading = أحدث المقالات
article-count = { $count ->
    [zero] لا توجد مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $count } مقالات
    [many] { $count } مقالًا
   *[other] { $count } مقال
}
topics-title = الموضوعات
entities-title = فهرس الأعلام
# $language: the name of the page's language.
no-articles-in-language = لا توجد بعدُ مقالات حول هذا باللغة { $language }.

entity-kind-person = شخصية
entity-kind-organization = مؤسسة
entity-kind-place = مكان
entity-kind-event = حدث
entity-kind-other = أخرى

entity-group-person = شخصيات
entity-group-organization = مؤسسات ومنظمات
entity-group-place = أماكن
entity-group-event = أحداث
entity-group-other = أعلام أخرى

## Search page

search-title = بحث
search-label = ابحث في المقالات
search-button = ابحث
search-needs-js = يحتاج البحث إلى جافاسكريبت: فعّلها في متصفحك، أو تصفّح الموضوعات والأعلام.
search-loading = جارٍ البحث…
search-error = تعذّر تحميل فهرس البحث.
# $query: what the reader typed.
search-no-results = لا نتائج عن «{ $query }».
search-more = مزيد من النتائج

## Pagination

pagination-label = التنقل بين الصفحات
pagination-newer = مقالات أحدث
pagination-older = مقالات أقدم
pagination-page = الصفحة { $page } من { $total }

## Not found page

not-found-title = الصفحة غير موجودة
not-found-body = الصفحة التي تبحث عنها غير موجودة أو نُقلت إلى عنوان آخر.
back-home = العودة إلى الصفحة الرئيسية

## Dates: "٤ يناير ٢٠٢٦" (month names as used in Egyptian and Gulf news)

date-long = { $day } { $month } { $year }
month-1 = يناير
month-2 = فبراير
month-3 = مارس
month-4 = أبريل
month-5 = مايو
month-6 = يونيو
month-7 = يوليو
month-8 = أغسطس
month-9 = سبتمبر
month-10 = أكتوبر
month-11 = نوفمبر
month-12 = ديسمبر
