//! The schema.org `NewsArticle` of an article page as typed records,
//! serialized straight to JSON (every article page has one; building it as
//! a `serde_json::Value` tree first was about a thirtieth of a large
//! build's CPU time). Fields are declared in the order a `Value` map sorts
//! its keys in, so the JSON is the same as the tree's; optional ones are
//! left out when empty, as the tree left them out.

use serde::Serialize;
use std::borrow::Cow;

#[derive(Serialize)]
pub struct NewsArticle<'a> {
    #[serde(rename = "@context")]
    pub context: &'static str,
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub about: Vec<Thing<'a>>,
    pub author: Vec<Agent<'a>>,
    #[serde(rename = "dateModified")]
    pub date_modified: String,
    #[serde(rename = "datePublished")]
    pub date_published: String,
    pub description: &'a str,
    pub headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<[&'a str; 1]>,
    #[serde(rename = "inLanguage")]
    pub in_language: &'a str,
    #[serde(rename = "mainEntityOfPage")]
    pub main_entity_of_page: WebPage<'a>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub mentions: Vec<Mention<'a>>,
    pub publisher: Agent<'a>,
    #[serde(rename = "translationOfWork", skip_serializing_if = "Option::is_none")]
    pub translation_of_work: Option<ArticleNode<'a>>,
    pub url: &'a str,
    #[serde(rename = "workTranslation", skip_serializing_if = "Vec::is_empty")]
    pub work_translation: Vec<ArticleNode<'a>>,
}

/// A `Person` (the byline) or the `Organization` publishing the site.
#[derive(Serialize, Clone)]
pub struct Agent<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<&'a str>,
}

#[derive(Serialize)]
pub struct WebPage<'a> {
    #[serde(rename = "@id")]
    pub id: &'a str,
    #[serde(rename = "@type")]
    pub kind: &'static str,
}

/// A topic the article is about.
#[derive(Serialize)]
pub struct Thing<'a> {
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: Cow<'a, str>,
    pub url: Cow<'a, str>,
}

/// An entity the article mentions.
#[derive(Serialize)]
pub struct Mention<'a> {
    #[serde(rename = "@id")]
    pub id: Cow<'a, str>,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub name: Cow<'a, str>,
    pub url: Cow<'a, str>,
}

/// Another language's version of the article.
#[derive(Serialize)]
pub struct ArticleNode<'a> {
    #[serde(rename = "@id")]
    pub id: String,
    #[serde(rename = "@type")]
    pub kind: &'static str,
    pub headline: &'a str,
    #[serde(rename = "inLanguage")]
    pub in_language: &'a str,
    pub url: String,
}
