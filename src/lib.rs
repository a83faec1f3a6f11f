//! nashra: a static site generator for bilingual (Arabic/English) news
//! digests. Data flows one way: `config` + `content` + `registry` → `site`
//! → `render` (pure; each file handed on as it is made) → `output` (the only
//! writer). `build` runs that pipeline; `cli` is the command-line front.

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod fingerprint;
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

/// Lock `m`, going on with its data if a thread panicked while holding it
/// (every lock of the crate guards plain data that stays whole).
pub(crate) fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Free `value` on a worker thread, off the caller's path: a large build's
/// site model and caches take a noticeable time to free, and a command that
/// is about to exit (or watch about to wait) need not wait for it.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    rayon::spawn(move || drop(value));
}
