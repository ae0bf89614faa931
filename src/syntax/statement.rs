//! Building a statement's tree from its pest pairs, a function a statement
//! form. Each reads the parts of its rule in the order `grammar/rel.pest`
//! writes them (see [`Parts`]).

use super::ast::*;
use super::keyword::Keyword;
use super::parts::{grammar_disagrees, Parts};
use super::{Builder, Rule};
use crate::figure::{Bound, Scale};
use pest::iterators::Pair;

impl Builder {
    /// The statement a statement rule's pair holds.
    pub(super) fn statement(&self, p: Pair<'_, Rule>) -> StmtKind {
        match p.as_rule() {
            Rule::source_decl => self.source(p),
            Rule::actor_decl => self.actor(p),
            Rule::role_decl => StmtKind::Role(Box::new(self.role(p))),
            Rule::visit
            | Rule::meeting
            | Rule::call
            | Rule::elected
            | Rule::agreement
            | Rule::summit
            | Rule::event_stmt => StmtKind::Event(self.event(p)),
            Rule::member => StmtKind::Member(Box::new(self.member(p))),
            Rule::relations_decl => StmtKind::Relations(Box::new(self.relations(p))),
            Rule::dated => {
                let mut parts = Parts::of(p);
                let label = self.ident(parts.required());
                let when = self.when(parts.required());
                let cite = self.optional_citation(parts);
                StmtKind::Dated { label, when, cite }
            }
            Rule::figure_stmt | Rule::target_stmt => StmtKind::Figure(Box::new(self.figure(p))),
            Rule::ladder_decl => self.ladder(p),
            Rule::level_decl => StmtKind::Level(Box::new(self.level(p))),
            Rule::trade => StmtKind::Trade(Box::new(self.trade(p))),
            Rule::say => StmtKind::Say(Box::new(self.say(p))),
            Rule::include => StmtKind::Include {
                path: self.string(Parts::of(p).required()),
            },
            Rule::assert_stmt => StmtKind::Assert {
                check: Box::new(self.comparison(Parts::of(p).required())),
            },
            Rule::claim_stmt => {
                let mut parts = Parts::of(p);
                let check = Box::new(self.comparison(parts.required()));
                let cite = self.optional_citation(parts);
                StmtKind::Claim { check, cite }
            }
            Rule::complete_stmt => {
                let mut parts = Parts::of(p);
                let scope = Box::new(self.base_query(parts.required()));
                let cite = self.optional_citation(parts);
                StmtKind::Complete { scope, cite }
            }
            other => grammar_disagrees(other),
        }
    }

    /// The citation that may end a statement, after its other parts.
    fn optional_citation(&self, mut rest: Parts<'_>) -> Vec<Ident> {
        rest.next().map(|c| self.citation(c)).unwrap_or_default()
    }

    fn source(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let id = self.ident(parts.required());
        let title = self.string(parts.required());
        let (mut published, mut url) = (None, None);
        for extra in parts {
            match extra.as_rule() {
                Rule::published => published = Some(self.when(Parts::of(extra).required())),
                Rule::url => url = Some(self.string(Parts::of(extra).required())),
                other => grammar_disagrees(other),
            }
        }
        StmtKind::Source {
            id,
            title,
            published,
            url,
        }
    }

    fn actor(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let kind_pair = parts.required();
        let kind_span = self.span(&kind_pair);
        let kind = ActorKindAst::from_word(kind_pair.as_str())
            .unwrap_or_else(|| grammar_disagrees(Rule::actor_kind));
        let id = self.ident(parts.required());
        let name = self.string(parts.required());
        let mut actor = ActorAst {
            kind,
            kind_span,
            id,
            name,
            aka: Vec::new(),
            of: Vec::new(),
            host: None,
            body_kind: None,
            since: None,
            until: None,
            succeeded_by: None,
            iso: None,
            cite: Vec::new(),
        };
        for extra in parts {
            let rule = extra.as_rule();
            let mut inner = Parts::of(extra.clone());
            match rule {
                Rule::aka => actor.aka.extend(inner.map(|i| self.ident(i))),
                Rule::of_actor => actor.of.extend(inner.map(|i| self.ident(i))),
                Rule::in_host => actor.host = Some(self.ident(inner.required())),
                Rule::body_kind => actor.body_kind = Some(self.ident(inner.required())),
                Rule::since => actor.since = Some(self.when(inner.required())),
                Rule::until => actor.until = Some(self.when(inner.required())),
                Rule::succeeded_by => actor.succeeded_by = Some(self.ident(inner.required())),
                Rule::iso_code => actor.iso = Some(self.ident(inner.required())),
                Rule::citation => actor.cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        StmtKind::Actor(Box::new(actor))
    }

    fn member(&self, p: Pair<'_, Rule>) -> MemberAst {
        let mut parts = Parts::of(p);
        let mut ast = MemberAst {
            member: self.ident(parts.required()),
            of: self.ident(parts.required()),
            since: None,
            until: None,
            cite: Vec::new(),
        };
        for extra in parts {
            match extra.as_rule() {
                Rule::since => ast.since = Some(self.when(Parts::of(extra).required())),
                Rule::until => ast.until = Some(self.when(Parts::of(extra).required())),
                Rule::citation => ast.cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        ast
    }

    fn relations(&self, p: Pair<'_, Rule>) -> RelationsAst {
        let mut parts = Parts::of(p);
        let pair = self.pair(parts.required());
        let change_pair = parts.required();
        let change = Keyword::from_word(change_pair.as_str())
            .unwrap_or_else(|| grammar_disagrees(Rule::relation_change));
        RelationsAst {
            pair,
            change,
            change_span: self.span(&change_pair),
            when: self.when(parts.required()),
            cite: self.optional_citation(parts),
        }
    }

    fn figure(&self, p: Pair<'_, Rule>) -> FigureAst {
        let target = p.as_rule() == Rule::target_stmt;
        let mut parts = Parts::of(p);
        let metric = self.ident(parts.required());
        let of_pair = Parts::of(parts.required()).required();
        let of = match of_pair.as_rule() {
            Rule::pair => FigureOfAst::Pair(self.pair(of_pair)),
            Rule::flow => {
                let mut ends = Parts::of(of_pair);
                FigureOfAst::Flow(self.ident(ends.required()), self.ident(ends.required()))
            }
            _ => FigureOfAst::One(self.ident(of_pair)),
        };
        let when = self.when(parts.required());
        let mut amount = self.amount(parts.required());
        let (mut unit, mut cite) = (None, Vec::new());
        for extra in parts {
            match extra.as_rule() {
                Rule::unit => {
                    let id = self.ident(Parts::of(extra).required());
                    if !glue(&mut amount, &id) {
                        unit = Some(id);
                    }
                }
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        FigureAst {
            target,
            metric,
            of,
            when,
            amount,
            unit,
            cite,
        }
    }

    fn role(&self, p: Pair<'_, Rule>) -> RoleAst {
        let mut parts = Parts::of(p);
        let holder = self.ident(parts.required());
        let office = self.ident(parts.required());
        let of = self.ident(parts.required());
        // `to <id>` may come before the tenure.
        let mut next = parts.required();
        let to = if next.as_rule() == Rule::ident {
            let to = self.ident(next);
            next = parts.required();
            Some(to)
        } else {
            None
        };
        let tenure = self.tenure(next);
        RoleAst {
            holder,
            office,
            of,
            to,
            tenure,
            cite: self.optional_citation(parts),
        }
    }

    fn tenure(&self, p: Pair<'_, Rule>) -> Tenure {
        let form = Parts::of(p).required();
        match form.as_rule() {
            Rule::since => Tenure::Since(self.when(Parts::of(form).required())),
            Rule::until => Tenure::Until(self.when(Parts::of(form).required())),
            _ => Tenure::During(self.when(form)),
        }
    }

    fn ladder(&self, p: Pair<'_, Rule>) -> StmtKind {
        let mut parts = Parts::of(p);
        let id = self.ident(parts.required());
        let rungs = parts
            .map(|r| {
                let mut rung = Parts::of(r);
                Rung {
                    id: self.ident(rung.required()),
                    name: self.string(rung.required()),
                }
            })
            .collect();
        StmtKind::Ladder { id, rungs }
    }

    fn level(&self, p: Pair<'_, Rule>) -> LevelAst {
        let mut parts = Parts::of(p);
        let mut ast = LevelAst {
            pair: self.pair(parts.required()),
            level: self.ident(parts.required()),
            when: self.when(parts.required()),
            via: None,
            ladder: None,
            downgrade: None,
            cite: Vec::new(),
        };
        for extra in parts {
            match extra.as_rule() {
                Rule::via => ast.via = Some(self.ident(Parts::of(extra).required())),
                Rule::on_ladder => ast.ladder = Some(self.ident(Parts::of(extra).required())),
                Rule::downgrade => ast.downgrade = Some(self.span(&extra)),
                Rule::citation => ast.cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        ast
    }

    fn trade(&self, p: Pair<'_, Rule>) -> TradeAst {
        let mut parts = Parts::of(p);
        let pair = self.pair(parts.required());
        let year = self.when(parts.required());
        let mut amount = self.amount(parts.required());
        let currency = self.ident(parts.required());
        glue(&mut amount, &currency);
        let (mut yoy, mut cite) = (None, Vec::new());
        for extra in parts {
            match extra.as_rule() {
                Rule::yoy => {
                    let percent = Parts::of(extra).required();
                    yoy = Some(PercentAst {
                        text: percent.as_str().to_string(),
                        span: self.span(&percent),
                    })
                }
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        TradeAst {
            pair,
            year,
            amount,
            currency,
            yoy,
            cite,
        }
    }

    fn amount(&self, p: Pair<'_, Rule>) -> AmountAst {
        // (A unit or currency written right after it is taken into the
        // amount by `glue`.)
        let span = self.span(&p);
        let mut outer = Parts::of(p);
        let mut first = outer.required();
        let bound = if first.as_rule() == Rule::bound {
            let bound =
                Bound::from_sign(first.as_str()).unwrap_or_else(|| grammar_disagrees(Rule::bound));
            first = outer.required();
            bound
        } else {
            Bound::Exact
        };
        let mut parts = Parts::of(first);
        let number = parts.required().as_str().to_string();
        let scale = match parts.next() {
            Some(s) => {
                Scale::from_suffix(s.as_str()).unwrap_or_else(|| grammar_disagrees(Rule::scale))
            }
            None => Scale::One,
        };
        AmountAst {
            number,
            scale,
            bound,
            span,
        }
    }

    fn say(&self, p: Pair<'_, Rule>) -> SayAst {
        let mut parts = Parts::of(p);
        let speakers = Parts::of(parts.required()).map(|w| self.ident(w)).collect();
        let when = self.when(parts.required());
        let (mut about, mut capacity) = (Vec::new(), None);
        // `about` and `capacity` come in any order before the text.
        let text = loop {
            let part = parts.required();
            match part.as_rule() {
                Rule::about => {
                    let what = Parts::of(part).required();
                    about.push(match what.as_rule() {
                        Rule::pair => AboutAst::Pair(self.pair(what)),
                        Rule::string => AboutAst::Topic(self.string(what)),
                        _ => AboutAst::Actor(self.ident(what)),
                    })
                }
                Rule::capacity => capacity = Some(self.ident(Parts::of(part).required())),
                Rule::string => break self.string(part),
                other => grammar_disagrees(other),
            }
        };
        SayAst {
            speakers,
            when,
            about,
            capacity,
            text,
            cite: self.optional_citation(parts),
        }
    }

    fn event(&self, p: Pair<'_, Rule>) -> EventAst {
        let rule = p.as_rule();
        let mut parts = Parts::of(p);
        let kw = parts.keyword();
        let kind = self.event_kind(rule, kw.as_str(), &mut parts);
        let when = self.when(parts.required());
        // See `idents`: a list every event has gets exactly its room.
        let mut attrs =
            Vec::with_capacity(parts.clone().filter(|p| p.as_rule() == Rule::attr).count());
        let (mut cite, mut weekday, mut time) = (Vec::new(), None, None);
        for extra in parts {
            match extra.as_rule() {
                Rule::weekday => weekday = Some(self.ident(extra)),
                Rule::part_of_day | Rule::clock => time = Some(self.ident(extra)),
                Rule::attr => attrs.push(self.attr(extra)),
                Rule::citation => cite = self.citation(extra),
                other => grammar_disagrees(other),
            }
        }
        let day = (weekday.is_some() || time.is_some()).then(|| Box::new(DayAst { weekday, time }));
        EventAst {
            kind,
            keyword: self.span(&kw),
            when,
            day,
            attrs,
            cite,
        }
    }

    /// What happened and who took part: the parts of an event between its
    /// keyword and its date.
    fn event_kind(&self, rule: Rule, keyword: &str, parts: &mut Parts<'_>) -> EventKindAst {
        match rule {
            Rule::visit => EventKindAst::Visit {
                visitor: self.ident(parts.required()),
                host: self.ident(parts.required()),
            },
            Rule::meeting | Rule::call => {
                let (mut parties, mut capacities) = (Vec::new(), Vec::new());
                for party in Parts::of(parts.required()) {
                    let mut party = Parts::of(party);
                    parties.push(self.ident(party.required()));
                    if let Some(c) = party.next() {
                        capacities.push((parties.len() - 1, self.ident(Parts::of(c).required())));
                    }
                }
                EventKindAst::Meeting {
                    parties,
                    capacities,
                    call: rule == Rule::call,
                }
            }
            Rule::elected => EventKindAst::Elected(Box::new(ElectedAst {
                person: self.ident(parts.required()),
                office: self.ident(parts.required()),
                of: self.ident(parts.required()),
                re: keyword == Keyword::Reelected.word(),
            })),
            Rule::agreement => EventKindAst::Agreement {
                title: self.string(parts.required()),
                parties: self.idents(parts.required()),
            },
            Rule::summit => EventKindAst::Summit {
                title: self.string(parts.required()),
            },
            Rule::event_stmt => EventKindAst::Other(Box::new(OtherEventAst {
                kind: self.ident(parts.required()),
                title: self.string(parts.required()),
                parties: Parts::of(parts.required()).map(|w| self.ident(w)).collect(),
            })),
            other => grammar_disagrees(other),
        }
    }

    fn attr(&self, p: Pair<'_, Rule>) -> Attr {
        let mut parts = Parts::of(p);
        let key_pair = parts.required();
        let key = AttrKey::from_word(key_pair.as_str())
            .unwrap_or_else(|| grammar_disagrees(Rule::attr_key));
        let value = |v: Pair<'_, Rule>| match v.as_rule() {
            Rule::string => AttrValue::Str(self.string(v)),
            _ => AttrValue::Ident(self.ident(v)),
        };
        Attr {
            key,
            key_span: self.span(&key_pair),
            value: value(parts.required()),
            more: parts.map(value).collect(),
        }
    }
}

/// An id written right after an amount, with no blank between (`1e309`,
/// `5kUSD`), is part of what was meant as the amount: the grammar reads the
/// digits as the amount and the rest as the currency or unit, so `1e309`
/// was the amount 1 in a currency `e309`. The amount takes the id's text,
/// so that lowering reports the whole as not an amount (E0304). Returns
/// true when it did.
fn glue(amount: &mut AmountAst, next: &Ident) -> bool {
    if next.span.start != amount.span.end {
        return false;
    }
    amount.number = format!("{}{}{}", amount.number, amount.scale.suffix(), next.name);
    amount.scale = Scale::One;
    amount.span = amount.span.to(next.span);
    true
}
