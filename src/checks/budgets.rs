use serde_json::json;

use super::{listed, lookup, or_not_applicable, organizations, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::budgets::{Budget, BudgetNotification};

const BUDGET: &str = "AWS::Budgets::Budget";

fn budget_resource(ctx: &CheckCtx, budget: &Budget) -> Resource {
    Resource::new(
        BUDGET,
        format!(
            "arn:{}:budgets::{}:budget/{}",
            ctx.inventory.partition(),
            ctx.inventory.account_id(),
            budget.name
        ),
    )
}

/// What keeps a monthly cost budget from meeting the thresholds; empty when it does.
fn shortfalls(
    budget: &Budget,
    notifications: &[BudgetNotification],
    max_limit: Option<f64>,
    alerts: &[f64],
) -> Vec<String> {
    let mut problems = Vec::new();
    if !budget.is_account_wide() {
        problems.push(format!(
            "filtered on {}: it budgets part of the account's spend",
            budget.filters.join(", ")
        ));
    }
    match (&budget.limit, max_limit) {
        (Some(limit), Some(ceiling)) if limit.amount > ceiling => problems.push(format!(
            "limit {} {} is above {ceiling}",
            limit.amount, limit.unit
        )),
        (Some(_), _) => {}
        (None, _) => problems.push("no limit".to_string()),
    }
    for percent in alerts {
        if !notifications
            .iter()
            .any(|n| n.alerts_above_percent(*percent))
        {
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
        let evidence = json!({ "budgets": budgets.iter().map(|b| &b.name).collect::<Vec<_>>() });
        // A member's spend is on its organization's bill: its budget may be kept in
        // the management account, which only that account shows.
        if let Some(management) = ctx.management_account().await {
            return vec![organizations::attested_elsewhere(
                &ctx,
                "budgets.monthly_budget",
                management,
                "this member account has no monthly cost budget of its own: confirm that a budget of the organization's management account covers it (an account-wide monthly cost budget, or one filtered to this linked account) with alerts at the thresholds",
                evidence,
            )];
        }
        return vec![Observation::fail(
            &account,
            "no monthly COST budget",
            evidence,
        )];
    }
    let limits = &ctx.rules.thresholds.budgets;
    let notifications = ctx.inventory.budgets_notifications().await;
    let mut falling_short = Vec::new();
    let mut unknown = None;
    // Filtered budgets cannot pass: their notifications need not be read to say so.
    for budget in monthly.iter().filter(|b| !b.is_account_wide()) {
        falling_short.push((
            budget.name.as_str(),
            shortfalls(budget, &[], limits.max_monthly_limit, &[]),
        ));
    }
    for budget in monthly.iter().filter(|b| b.is_account_wide()) {
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
                            "monthly budget {} covers the whole account and alerts at {} % of its limit",
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
                    "no account-wide monthly cost budget meets the thresholds ({})",
                    said.join("; ")
                ),
                json!({ "budgets": evidence }),
            )]
        }
    }
}

/// Each monthly cost budget's month-to-date spend against its limit, and its forecast
/// where Budgets has one (it has none for a new account or budget: the actual spend
/// alone is judged then, and the message says so).
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
            let (Some(limit), Some(actual)) = (&budget.limit, &budget.actual_spend) else {
                let missing = if budget.limit.is_none() { "limit" } else { "actual spend" };
                return Observation::cannot_judge(
                    &resource,
                    format!("budget {} has no calculated {missing}: spend cannot be compared", budget.name),
                    evidence,
                );
            };
            let forecast = budget.forecasted_spend.as_ref();
            let ok = actual.amount < limit.amount
                && forecast.is_none_or(|f| f.amount < limit.amount);
            let forecast_said = match forecast {
                Some(f) => format!("forecast {:.2}", f.amount),
                None => "no forecast yet".to_string(),
            };
            Observation::judge(
                ok,
                &resource,
                format!(
                    "budget {}: month to date {:.2} {}, {forecast_said}, limit {:.2}{}",
                    budget.name,
                    actual.amount,
                    actual.unit,
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
    use aws_sdk_budgets::types::{
        BudgetType, ComparisonOperator, NotificationType, ThresholdType, TimeUnit,
    };

    fn usd(amount: f64) -> Option<Money> {
        Some(Money {
            amount,
            unit: "USD".into(),
        })
    }

    fn budget(name: &str, limit: f64, actual: Option<f64>, forecast: Option<f64>) -> Budget {
        Budget {
            name: name.into(),
            budget_type: BudgetType::Cost.as_str().into(),
            time_unit: TimeUnit::Monthly.as_str().into(),
            limit: usd(limit),
            actual_spend: actual.and_then(usd),
            forecasted_spend: forecast.and_then(usd),
            filters: vec![],
        }
    }

    fn alert(percent: f64) -> BudgetNotification {
        BudgetNotification {
            notification_type: NotificationType::Actual.as_str().into(),
            comparison: ComparisonOperator::GreaterThan.as_str().into(),
            threshold: percent,
            threshold_type: ThresholdType::Percentage.as_str().into(),
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
        let large = || {
            account(
                vec![budget("prod", 250_000.0, None, None)],
                vec![("prod", vec![alert(80.0), alert(100.0)])],
            )
        };
        assert_eq!(
            statuses(&run(large(), false, monthly_budget).await),
            [Status::Pass],
            "no ceiling on the limit by default"
        );
        let mut thresholds = crate::config::Thresholds::default();
        thresholds.budgets.max_monthly_limit = Some(500.0);
        let found = run_with(large(), false, thresholds, monthly_budget).await;
        assert!(
            found[0].message.contains("limit 250000 USD is above 500"),
            "{}",
            found[0].message
        );
        let mut filtered = budget("ec2-only", 500.0, None, None);
        filtered.filters = vec!["Service".into()];
        let found = run(
            account(
                vec![filtered],
                vec![("ec2-only", vec![alert(80.0), alert(100.0)])],
            ),
            false,
            monthly_budget,
        )
        .await;
        assert_eq!(statuses(&found), [Status::Fail]);
        assert!(
            found[0].message.contains("filtered on Service"),
            "{}",
            found[0].message
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
                budget("no-forecast", 500.0, Some(10.0), None),
                budget("no-forecast-over", 500.0, Some(510.0), None),
                budget("no-data", 500.0, None, None),
            ],
            vec![],
        );
        let found = run(data, false, within_limit).await;
        assert_eq!(status_of(&found, "budget/under"), Status::Pass);
        assert_eq!(status_of(&found, "budget/forecast-over"), Status::Fail);
        assert_eq!(status_of(&found, "budget/no-forecast"), Status::Pass);
        assert_eq!(status_of(&found, "budget/no-forecast-over"), Status::Fail);
        assert_eq!(status_of(&found, "budget/no-data"), Status::Error);
        assert_eq!(
            statuses(&run(account(vec![], vec![]), false, within_limit).await),
            [Status::NotApplicable]
        );
    }

    /// A member with no budget of its own is judged in its management account: N/A
    /// when this run audits that account, else MANUAL until attested. A budget of its
    /// own that falls short is still the member's to fix.
    #[tokio::test]
    async fn a_member_without_a_budget_is_judged_in_its_management_account() {
        let member = |budgets: Vec<Budget>| {
            let alerts = budgets
                .iter()
                .map(|b| (b.name.clone(), vec![alert(80.0)]))
                .collect::<Vec<_>>();
            let alerts = alerts
                .iter()
                .map(|(name, a)| (name.as_str(), a.clone()))
                .collect();
            let mut data = account(budgets, alerts);
            data.global.organizations.organization =
                ok(Some(crate::model::organizations::Organization {
                    id: "o-abc".into(),
                    management_account_id: "111111111111".into(),
                }));
            data
        };
        let alone = run(member(vec![]), false, monthly_budget).await;
        assert_eq!(statuses(&alone), [Status::Manual]);
        assert!(
            alone[0].message.contains("111111111111"),
            "{}",
            alone[0].message
        );
        assert_eq!(
            statuses(
                &run_under(
                    member(vec![]),
                    false,
                    auditing(&[ACCOUNT, "111111111111"]),
                    monthly_budget
                )
                .await
            ),
            [Status::NotApplicable]
        );
        let own = member(vec![budget("own", 100.0, None, None)]);
        assert_eq!(
            statuses(&run(own, false, monthly_budget).await),
            [Status::Fail]
        );
        assert_eq!(
            statuses(&run(account(vec![], vec![]), false, monthly_budget).await),
            [Status::Fail],
            "an account outside any organization has nobody else to keep its budget"
        );
    }
}
