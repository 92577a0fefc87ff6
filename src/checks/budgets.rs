use serde_json::json;

use super::{listed, lookup, or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::budgets::{Budget, BudgetNotification};

const BUDGET: &str = "AWS::Budgets::Budget";

fn budget_resource(ctx: &CheckCtx, budget: &Budget) -> Resource {
    Resource::new(
        BUDGET,
        format!(
            "arn:aws:budgets::{}:budget/{}",
            ctx.inventory.account_id(),
            budget.name
        ),
    )
}

/// What keeps a monthly cost budget from meeting the thresholds; empty when it does.
fn shortfalls(
    budget: &Budget,
    notifications: &[BudgetNotification],
    max_limit: f64,
    alerts: &[f64],
) -> Vec<String> {
    let mut problems = Vec::new();
    match &budget.limit {
        Some(limit) if limit.amount > max_limit => problems.push(format!(
            "limit {} {} is above {max_limit}",
            limit.amount, limit.unit
        )),
        Some(_) => {}
        None => problems.push("no limit".to_string()),
    }
    for percent in alerts {
        let alerted = notifications.iter().any(|n| {
            n.threshold_type == "PERCENTAGE"
                && n.comparison == "GREATER_THAN"
                && (n.threshold - percent).abs() < 0.01
        });
        if !alerted {
            problems.push(format!("no alert at {percent} %"));
        }
    }
    problems
}

pub async fn monthly_budget(ctx: CheckCtx) -> Vec<Observation> {
    let budgets = match listed(&ctx, ctx.inventory.budgets_budgets().await) {
        Ok(budgets) => budgets,
        Err(errors) => return errors,
    };
    let account = ctx.account();
    let monthly: Vec<&Budget> = budgets.iter().filter(|b| b.is_monthly_cost()).collect();
    if monthly.is_empty() {
        return vec![Observation::fail(
            &account,
            "no monthly COST budget",
            json!({ "budgets": budgets.iter().map(|b| &b.name).collect::<Vec<_>>() }),
        )];
    }
    let limits = &ctx.rules.thresholds.budgets;
    let notifications = ctx.inventory.budgets_notifications().await;
    let mut falling_short = Vec::new();
    let mut unknown = None;
    for budget in &monthly {
        match lookup(notifications, &budget.name) {
            Err(error) => unknown = Some(error),
            Ok(found) => {
                let problems = shortfalls(
                    budget,
                    found,
                    limits.max_monthly_limit,
                    &limits.alert_percentages,
                );
                if problems.is_empty() {
                    return vec![Observation::pass(
                        &budget_resource(&ctx, budget),
                        format!(
                            "monthly budget {} alerts at {} % of its limit",
                            budget.name,
                            limits
                                .alert_percentages
                                .iter()
                                .map(f64::to_string)
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                        json!({ "budget": budget, "notifications": found }),
                    )];
                }
                falling_short.push((budget.name.as_str(), problems));
            }
        }
    }
    match unknown {
        Some(error) => vec![Observation::unverified(&account, &error)],
        None => {
            let said: Vec<String> = falling_short
                .iter()
                .map(|(name, problems)| format!("{name}: {}", problems.join(", ")))
                .collect();
            let evidence: Vec<_> = falling_short
                .iter()
                .map(|(name, problems)| json!({ "budget": name, "problems": problems }))
                .collect();
            vec![Observation::fail(
                &account,
                format!(
                    "no monthly cost budget meets the thresholds ({})",
                    said.join("; ")
                ),
                json!({ "budgets": evidence }),
            )]
        }
    }
}

pub async fn within_limit(ctx: CheckCtx) -> Vec<Observation> {
    let budgets = match listed(&ctx, ctx.inventory.budgets_budgets().await) {
        Ok(budgets) => budgets,
        Err(errors) => return errors,
    };
    let observations: Vec<Observation> = budgets
        .iter()
        .filter(|b| b.is_monthly_cost())
        .map(|budget| {
            let resource = budget_resource(&ctx, budget);
            let evidence = json!({ "limit": budget.limit, "actual": budget.actual_spend, "forecast": budget.forecasted_spend });
            let (Some(limit), Some(actual), Some(forecast)) = (&budget.limit, &budget.actual_spend, &budget.forecasted_spend) else {
                let missing: Vec<&str> = [("limit", budget.limit.is_none()), ("actual spend", budget.actual_spend.is_none()), ("forecast", budget.forecasted_spend.is_none())]
                    .into_iter()
                    .filter(|(_, absent)| *absent)
                    .map(|(what, _)| what)
                    .collect();
                return Observation::cannot_judge(
                    &resource,
                    format!("budget {} has no calculated {}: spend cannot be compared", budget.name, missing.join(" or ")),
                    evidence,
                );
            };
            let ok = actual.amount < limit.amount && forecast.amount < limit.amount;
            Observation::judge(
                ok,
                &resource,
                format!(
                    "budget {}: month to date {:.2} {}, forecast {:.2}, limit {:.2}{}",
                    budget.name,
                    actual.amount,
                    actual.unit,
                    forecast.amount,
                    limit.amount,
                    if ok { "" } else { ": over the limit" }
                ),
                evidence,
            )
        })
        .collect();
    or_not_applicable(&ctx, observations, || {
        "no monthly cost budget (see budgets.monthly_budget)".into()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};
    use crate::model::budgets::Money;

    fn usd(amount: f64) -> Option<Money> {
        Some(Money {
            amount,
            unit: "USD".into(),
        })
    }

    fn budget(name: &str, limit: f64, actual: Option<f64>, forecast: Option<f64>) -> Budget {
        Budget {
            name: name.into(),
            budget_type: "COST".into(),
            time_unit: "MONTHLY".into(),
            limit: usd(limit),
            actual_spend: actual.and_then(usd),
            forecasted_spend: forecast.and_then(usd),
        }
    }

    fn alert(percent: f64) -> BudgetNotification {
        BudgetNotification {
            notification_type: "ACTUAL".into(),
            comparison: "GREATER_THAN".into(),
            threshold: percent,
            threshold_type: "PERCENTAGE".into(),
        }
    }

    fn account(
        budgets: Vec<Budget>,
        alerts: Vec<(&str, Vec<BudgetNotification>)>,
    ) -> InventoryData {
        let mut data = data();
        data.global.budgets.budgets = Memo::ready(Fetched::Ok(budgets));
        data.global.budgets.notifications = Memo::ready(Fetched::Ok(
            alerts
                .into_iter()
                .map(|(k, v)| (k.to_string(), Fetched::Ok(v)))
                .collect::<BTreeMap<_, _>>(),
        ));
        data
    }

    #[tokio::test]
    async fn a_monthly_budget_within_the_ceiling_with_both_alerts() {
        let good = account(
            vec![budget("prod", 400.0, Some(1.0), Some(2.0))],
            vec![("prod", vec![alert(80.0), alert(100.0)])],
        );
        assert_eq!(
            statuses(&run(good, false, monthly_budget).await),
            [Status::Pass]
        );
        let one_alert = account(
            vec![budget("prod", 400.0, None, None)],
            vec![("prod", vec![alert(80.0)])],
        );
        let found = run(one_alert, false, monthly_budget).await;
        assert_eq!(statuses(&found), [Status::Fail]);
        assert!(
            found[0].message.contains("no alert at 100 %"),
            "{}",
            found[0].message
        );
        let too_high = account(
            vec![budget("prod", 5000.0, None, None)],
            vec![("prod", vec![alert(80.0), alert(100.0)])],
        );
        let found = run(too_high, false, monthly_budget).await;
        assert!(
            found[0].message.contains("limit 5000 USD is above 500"),
            "{}",
            found[0].message
        );
        let mut thresholds = crate::config::Thresholds::default();
        thresholds.budgets.max_monthly_limit = 10000.0;
        let raised = account(
            vec![budget("prod", 5000.0, None, None)],
            vec![("prod", vec![alert(80.0), alert(100.0)])],
        );
        assert_eq!(
            statuses(&run_with(raised, false, thresholds, monthly_budget).await),
            [Status::Pass]
        );
        assert_eq!(
            statuses(&run(account(vec![], vec![]), false, monthly_budget).await),
            [Status::Fail]
        );
    }

    #[tokio::test]
    async fn spend_is_compared_and_missing_spend_is_an_error() {
        let data = account(
            vec![
                budget("under", 500.0, Some(120.0), Some(410.0)),
                budget("forecast-over", 500.0, Some(300.0), Some(650.0)),
                budget("no-data", 500.0, Some(10.0), None),
            ],
            vec![],
        );
        let found = run(data, false, within_limit).await;
        assert_eq!(status_of(&found, "budget/under"), Status::Pass);
        assert_eq!(status_of(&found, "budget/forecast-over"), Status::Fail);
        assert_eq!(status_of(&found, "budget/no-data"), Status::Error);
        assert_eq!(
            statuses(&run(account(vec![], vec![]), false, within_limit).await),
            [Status::NotApplicable]
        );
    }
}
