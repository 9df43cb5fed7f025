//! Hasura boolean expressions (`where`): compiling, evaluating, and deriving
//! the bounds the row generator uses to skip work.

use std::cmp::Ordering;

use async_graphql::Value;

use super::error::QueryError;
use crate::tables::{Cell, ColType, Table};
use crate::time_parse::parse_timestamp_ms;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Eq,
    Neq,
    Gt,
    Gte,
    Lt,
    Lte,
    In,
    Nin,
    IsNull,
    Like,
    Nlike,
    Ilike,
    Nilike,
}

impl Op {
    fn parse(name: &str) -> Option<Op> {
        Some(match name {
            "_eq" => Op::Eq,
            "_neq" => Op::Neq,
            "_gt" => Op::Gt,
            "_gte" => Op::Gte,
            "_lt" => Op::Lt,
            "_lte" => Op::Lte,
            "_in" => Op::In,
            "_nin" => Op::Nin,
            "_is_null" => Op::IsNull,
            "_like" => Op::Like,
            "_nlike" => Op::Nlike,
            "_ilike" => Op::Ilike,
            "_nilike" => Op::Nilike,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug)]
pub enum Lit {
    One(Cell),
    Many(Vec<Cell>),
    Bool(bool),
    Pattern(String),
}

#[derive(Clone, Debug)]
pub enum Pred {
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
    Cmp { col: usize, op: Op, lit: Lit },
}

/// Three-valued result: rows under construction have unknown cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    True,
    False,
    Unknown,
}

/// Read access to a full or partial row.
pub trait RowAccess {
    fn cell(&self, col: usize) -> Option<&Cell>;
}

impl RowAccess for [Cell] {
    fn cell(&self, col: usize) -> Option<&Cell> {
        self.get(col)
    }
}

impl RowAccess for [Option<Cell>] {
    fn cell(&self, col: usize) -> Option<&Cell> {
        self.get(col).and_then(Option::as_ref)
    }
}

/// Compiles a `where` argument; `Ok(None)` means no filter.
pub fn compile(table: &Table, value: &Value) -> Result<Option<Pred>, QueryError> {
    match value {
        Value::Null => Ok(None),
        Value::Object(_) => compile_object(table, value).map(Some),
        _ => Err(QueryError::validation(format!(
            "expected an object for type '{}_bool_exp'",
            table.name
        ))),
    }
}

fn compile_object(table: &Table, value: &Value) -> Result<Pred, QueryError> {
    let Value::Object(map) = value else {
        return Err(QueryError::validation(format!(
            "expected an object for type '{}_bool_exp'",
            table.name
        )));
    };
    let mut parts = Vec::with_capacity(map.len());
    for (key, v) in map {
        match key.as_str() {
            "_and" | "_or" => {
                let items = match v {
                    Value::List(items) => items
                        .iter()
                        .map(|i| compile_object(table, i))
                        .collect::<Result<Vec<_>, _>>()?,
                    Value::Object(_) => vec![compile_object(table, v)?],
                    _ => {
                        return Err(QueryError::validation(format!(
                            "expected a list for '{key}'"
                        )));
                    }
                };
                parts.push(if key.as_str() == "_and" {
                    Pred::And(items)
                } else {
                    Pred::Or(items)
                });
            }
            "_not" => parts.push(Pred::Not(Box::new(compile_object(table, v)?))),
            name => {
                let col = table
                    .column_index(name)
                    .filter(|&i| table.columns[i].ty.comparison_exp().is_some())
                    .ok_or_else(|| {
                        QueryError::validation(format!(
                            "field '{name}' not found in type: '{}_bool_exp'",
                            table.name
                        ))
                    })?;
                parts.push(compile_comparison(table, col, v)?);
            }
        }
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Pred::And(parts)
    })
}

fn compile_comparison(table: &Table, col: usize, value: &Value) -> Result<Pred, QueryError> {
    let column = &table.columns[col];
    let Value::Object(map) = value else {
        return Err(QueryError::validation(format!(
            "expected an object for column '{}'",
            column.name
        )));
    };
    let mut parts = Vec::with_capacity(map.len());
    for (key, v) in map {
        let op = Op::parse(key.as_str())
            .filter(|op| {
                column.ty == ColType::String
                    || !matches!(op, Op::Like | Op::Nlike | Op::Ilike | Op::Nilike)
            })
            .ok_or_else(|| {
                QueryError::validation(format!(
                    "field '{key}' not found in type: '{}'",
                    column.ty.comparison_exp().unwrap_or("")
                ))
            })?;
        let lit = match op {
            Op::IsNull => match v {
                Value::Boolean(b) => Lit::Bool(*b),
                _ => {
                    return Err(QueryError::validation(format!(
                        "expected a boolean for '{key}'"
                    )));
                }
            },
            Op::In | Op::Nin => match v {
                Value::List(items) => Lit::Many(
                    items
                        .iter()
                        .map(|i| literal(column.ty, i))
                        .collect::<Result<_, _>>()?,
                ),
                // GraphQL input coercion: a single value stands for a one-element list.
                other => Lit::Many(vec![literal(column.ty, other)?]),
            },
            Op::Like | Op::Nlike | Op::Ilike | Op::Nilike => match v {
                Value::String(s) => Lit::Pattern(s.clone()),
                _ => {
                    return Err(QueryError::validation(format!(
                        "expected a string for '{key}'"
                    )));
                }
            },
            _ => Lit::One(literal(column.ty, v)?),
        };
        parts.push(Pred::Cmp { col, op, lit });
    }
    Ok(if parts.len() == 1 {
        parts.remove(0)
    } else {
        Pred::And(parts)
    })
}

fn literal(ty: ColType, v: &Value) -> Result<Cell, QueryError> {
    let bad = || {
        QueryError::validation(format!(
            "expected a value of type '{}', got {v}",
            ty.scalar()
        ))
    };
    match (ty, v) {
        (_, Value::Null) => Err(QueryError::validation(format!(
            "unexpected null value for type '{}'",
            ty.scalar()
        ))),
        (ColType::Int, Value::Number(n)) => n.as_i64().map(Cell::Int).ok_or_else(bad),
        (ColType::Float, Value::Number(n)) => n.as_f64().map(Cell::Float).ok_or_else(bad),
        (ColType::String, Value::String(s)) => Ok(Cell::Str(s.as_str().into())),
        (ColType::Timestamptz, Value::String(s)) => {
            parse_timestamp_ms(s).map(Cell::Time).ok_or_else(|| {
                QueryError::data(format!(
                    "invalid input syntax for type timestamp with time zone: \"{s}\""
                ))
            })
        }
        _ => Err(bad()),
    }
}

/// Evaluates a predicate; unknown cells make the answer unknown unless the
/// known part decides it.
pub fn eval<R: RowAccess + ?Sized>(pred: &Pred, row: &R) -> Tri {
    match pred {
        Pred::And(items) => {
            let mut out = Tri::True;
            for p in items {
                match eval(p, row) {
                    Tri::False => return Tri::False,
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::True => {}
                }
            }
            out
        }
        Pred::Or(items) => {
            let mut out = Tri::False;
            for p in items {
                match eval(p, row) {
                    Tri::True => return Tri::True,
                    Tri::Unknown => out = Tri::Unknown,
                    Tri::False => {}
                }
            }
            out
        }
        Pred::Not(p) => match eval(p, row) {
            Tri::True => Tri::False,
            Tri::False => Tri::True,
            Tri::Unknown => Tri::Unknown,
        },
        Pred::Cmp { col, op, lit } => match row.cell(*col) {
            None => Tri::Unknown,
            Some(cell) => {
                if compare(cell, *op, lit) {
                    Tri::True
                } else {
                    Tri::False
                }
            }
        },
    }
}

fn compare(cell: &Cell, op: Op, lit: &Lit) -> bool {
    if let (Op::IsNull, Lit::Bool(want)) = (op, lit) {
        return (*cell == Cell::Null) == *want;
    }
    if *cell == Cell::Null {
        return false;
    }
    match (op, lit) {
        (Op::In, Lit::Many(items)) => items
            .iter()
            .any(|i| cell.cmp_same(i) == Some(Ordering::Equal)),
        (Op::Nin, Lit::Many(items)) => !items
            .iter()
            .any(|i| cell.cmp_same(i) == Some(Ordering::Equal)),
        (Op::Like | Op::Nlike | Op::Ilike | Op::Nilike, Lit::Pattern(p)) => {
            let Cell::Str(s) = cell else { return false };
            let m = if matches!(op, Op::Ilike | Op::Nilike) {
                like(&s.to_lowercase(), &p.to_lowercase())
            } else {
                like(s, p)
            };
            m == matches!(op, Op::Like | Op::Ilike)
        }
        (_, Lit::One(v)) => match cell.cmp_same(v) {
            None => false,
            Some(o) => match op {
                Op::Eq => o == Ordering::Equal,
                Op::Neq => o != Ordering::Equal,
                Op::Gt => o == Ordering::Greater,
                Op::Gte => o != Ordering::Less,
                Op::Lt => o == Ordering::Less,
                Op::Lte => o != Ordering::Greater,
                _ => false,
            },
        },
        _ => false,
    }
}

/// SQL LIKE: `%` any run, `_` any one character.
fn like(s: &str, pattern: &str) -> bool {
    let s: Vec<char> = s.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut si, mut pi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == s[si]) {
            si += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some((pi, si));
            pi += 1;
        } else if let Some((sp, ss)) = star {
            pi = sp + 1;
            si = ss + 1;
            star = Some((sp, ss + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '%')
}

/// Inclusive range of an integer or time column implied by the top-level
/// conjunction of `pred` (a superset of the matching values).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub lo: i64,
    pub hi: i64,
}

impl Bounds {
    pub const ALL: Bounds = Bounds {
        lo: i64::MIN,
        hi: i64::MAX,
    };

    fn intersect(self, o: Bounds) -> Bounds {
        Bounds {
            lo: self.lo.max(o.lo),
            hi: self.hi.min(o.hi),
        }
    }
}

pub fn bounds(pred: Option<&Pred>, col: usize) -> Bounds {
    let Some(pred) = pred else { return Bounds::ALL };
    match pred {
        Pred::And(items) => items
            .iter()
            .fold(Bounds::ALL, |b, p| b.intersect(bounds(Some(p), col))),
        Pred::Cmp { col: c, op, lit } if *c == col => {
            let v = |cell: &Cell| match cell {
                Cell::Int(v) | Cell::Time(v) => Some(*v),
                _ => None,
            };
            match (op, lit) {
                (Op::Eq, Lit::One(x)) => v(x).map_or(Bounds::ALL, |x| Bounds { lo: x, hi: x }),
                (Op::Gt, Lit::One(x)) => v(x).map_or(Bounds::ALL, |x| Bounds {
                    lo: x.saturating_add(1),
                    hi: i64::MAX,
                }),
                (Op::Gte, Lit::One(x)) => v(x).map_or(Bounds::ALL, |x| Bounds {
                    lo: x,
                    hi: i64::MAX,
                }),
                (Op::Lt, Lit::One(x)) => v(x).map_or(Bounds::ALL, |x| Bounds {
                    lo: i64::MIN,
                    hi: x.saturating_sub(1),
                }),
                (Op::Lte, Lit::One(x)) => v(x).map_or(Bounds::ALL, |x| Bounds {
                    lo: i64::MIN,
                    hi: x,
                }),
                (Op::In, Lit::Many(items)) => {
                    let vals: Option<Vec<i64>> = items.iter().map(v).collect();
                    match vals {
                        Some(vals) if vals.is_empty() => Bounds { lo: 1, hi: 0 },
                        Some(vals) => Bounds {
                            lo: vals.iter().copied().min().unwrap_or(i64::MIN),
                            hi: vals.iter().copied().max().unwrap_or(i64::MAX),
                        },
                        None => Bounds::ALL,
                    }
                }
                _ => Bounds::ALL,
            }
        }
        _ => Bounds::ALL,
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn like_patterns() {
        assert!(like("MEETING_ROOM", "MEETING%"));
        assert!(like("abc", "a_c"));
        assert!(like("abc", "%"));
        assert!(!like("abc", "a_"));
        assert!(like("", "%"));
        assert!(like("xaby", "%ab%"));
    }
}
