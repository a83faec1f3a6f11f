### nashra: English UI strings of the default theme (Project Fluent syntax,
### https://projectfluent.org/fluent/guide/).
###
### This file is embedded in the nashra binary. A site overrides any message by
### defining the same id in its own i18n/en.ftl; messages it leaves out keep the
### text below. Every id listed in docs/themes.md must exist here and in ar.ftl.
###
### Variables ($count, $date, ...) are filled in by nashra. Numbers arrive already
### formatted for the language; in `{ $count -> ... }` an exact key such as [0]
### matches first, then the CLDR plural category ([one], *[other] for English).
### nashra inserts no bidi isolation marks: templates wrap text of the other
### direction in <bdi> themselves.

-brand = nashra

## Layout and navigation

site-nav-label = Main navigation
nav-home = Home
nav-topics = Topics
nav-entities = Names
nav-search = Search
skip-to-content = Skip to main content
language-switch-label = Language
other-languages = Other languages
footer-built-with = Built with { -brand }

## Articles

# $language: the name of the language the article is missing in.
translation-missing = This article is not available in { $language }.
# $date: an already localized date.
published-on = Published { $date }
updated-on = Updated { $date }
byline = By { $author }
reading-time = { $minutes ->
    [0] Less than a minute to read
    [one] { $minutes } minute to read
   *[other] { $minutes } minutes to read
}
topics-in-article = Filed under
entities-in-article = Names in this article
related-articles = Related articles

## Lists, topics and names

latest-heading = Latest articles
article-count = { $count ->
    [0] No articles
    [one] { $count } article
   *[other] { $count } articles
}
topics-title = Topics
entities-title = Index of names
# $language: the name of the page's language.
no-articles-in-language = There are no articles on this in { $language } yet.

entity-kind-person = Person
entity-kind-organization = Organization
entity-kind-place = Place
entity-kind-event = Event
entity-kind-other = Other

entity-group-person = People
entity-group-organization = Organizations
entity-group-place = Places
entity-group-event = Events
entity-group-other = Other

## Search page

search-title = Search
search-label = Search the articles
search-button = Search
search-needs-js = Search needs JavaScript: turn it on in your browser, or browse the topics and names.
search-loading = Searching…
search-error = The search index could not be loaded.
# $query: what the reader typed.
search-no-results = Nothing found for “{ $query }”.
search-more = More results

## Pagination

pagination-label = Pages
pagination-newer = Newer articles
pagination-older = Older articles
pagination-page = Page { $page } of { $total }

## Not found page

not-found-title = Page not found
not-found-body = The page you are looking for does not exist or has moved.
back-home = Back to the home page

## Dates: "4 January 2026"

date-long = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December
