//! nashra: a static site generator for bilingual (Arabic/English) news
//! digests. Data flows one way: `config` + `content` + `registry` → `site`
//! → `render` (pure, in memory) → `output` (the only writer). `build` runs
//! that pipeline; `cli` is the command-line front.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod i18n;
pub mod markdown;
pub mod mentions;
pub mod normalize;
pub mod output;
pub mod paths;
pub mod registry;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod theme;
pub mod watch;
