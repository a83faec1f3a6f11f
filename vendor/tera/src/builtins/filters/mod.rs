use std::collections::HashMap;

use crate::errors::Result;
use serde_json::value::Value;

pub mod array;
pub mod common;
pub mod number;
pub mod object;
pub mod string;

/// The filter function type definition
pub trait Filter: Sync + Send {
    /// The filter function type definition
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> Result<Value>;

    /// Whether the current filter's output should be treated as safe, defaults to `false`
    fn is_safe(&self) -> bool {
        false
    }

    /// nashra's patch: write what [`Filter::filter`] gives, as Tera prints
    /// it, straight into `out`. Called instead of `filter` for a safe filter
    /// that ends a printed expression (`{{ x | f }}`), so a filter that can
    /// write its result without making it first need not make it.
    fn filter_to(&self, value: &Value, args: &HashMap<String, Value>, mut out: &mut dyn std::io::Write) -> Result<()> {
        crate::context::ValueRender::render(&self.filter(value, args)?, &mut out)?;
        Ok(())
    }
}

impl<F> Filter for F
where
    F: Fn(&Value, &HashMap<String, Value>) -> Result<Value> + Sync + Send,
{
    fn filter(&self, value: &Value, args: &HashMap<String, Value>) -> Result<Value> {
        self(value, args)
    }
}
