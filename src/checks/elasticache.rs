use serde_json::json;

use super::{or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::model::elasticache::{CacheCluster, ReplicationGroup, ServerlessCache};

/// Every cache of a region: replication groups, node-based clusters outside a group,
/// and serverless caches.
enum Cache<'a> {
    Group(&'a ReplicationGroup),
    Cluster(&'a CacheCluster),
    Serverless(&'a ServerlessCache),
}

impl Cache<'_> {
    fn resource(&self, ctx: &CheckCtx) -> Resource {
        let (kind, arn, fallback) = match self {
            Cache::Group(g) => (
                "AWS::ElastiCache::ReplicationGroup",
                &g.arn,
                format!("replicationgroup:{}", g.id),
            ),
            Cache::Cluster(c) => (
                "AWS::ElastiCache::CacheCluster",
                &c.arn,
                format!("cluster:{}", c.id),
            ),
            Cache::Serverless(s) => (
                "AWS::ElastiCache::ServerlessCache",
                &s.arn,
                format!("serverlesscache:{}", s.name),
            ),
        };
        Resource::new(
            kind,
            arn.clone()
                .unwrap_or_else(|| super::arn(ctx, "elasticache", &fallback)),
        )
    }

    fn label(&self) -> String {
        match self {
            Cache::Group(g) => format!("replication group {}", g.id),
            Cache::Cluster(c) => format!("{} cluster {}", c.engine, c.id),
            Cache::Serverless(s) => format!("serverless {} cache {}", s.engine, s.name),
        }
    }

    fn is_memcached(&self) -> bool {
        match self {
            Cache::Cluster(c) => c.engine == "memcached",
            Cache::Serverless(s) => s.engine == "memcached",
            Cache::Group(_) => false,
        }
    }
}

/// The region's caches, and one ERROR for each listing that failed (it costs only the
/// caches of its kind).
async fn caches(ctx: &CheckCtx) -> (Vec<Cache<'_>>, Vec<Observation>) {
    let region = ctx.region();
    let inventory = &ctx.inventory;
    let mut caches = Vec::new();
    let mut errors = Vec::new();
    match inventory
        .elasticache_replication_groups(region)
        .await
        .as_result()
    {
        Ok(groups) => caches.extend(groups.iter().map(Cache::Group)),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    match inventory
        .elasticache_cache_clusters(region)
        .await
        .as_result()
    {
        Ok(clusters) => caches.extend(
            clusters
                .iter()
                .filter(|c| c.replication_group_id.is_none())
                .map(Cache::Cluster),
        ),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    match inventory
        .elasticache_serverless_caches(region)
        .await
        .as_result()
    {
        Ok(serverless) => caches.extend(serverless.iter().map(Cache::Serverless)),
        Err(error) => errors.push(Observation::unverified(&ctx.account(), error)),
    }
    (caches, errors)
}

/// Judges each cache with `judge`, which gives the reason where the control does not apply.
async fn each_cache(
    ctx: &CheckCtx,
    judge: impl Fn(&Cache) -> Result<(bool, String, serde_json::Value), String>,
) -> Vec<Observation> {
    let (caches, mut observations) = caches(ctx).await;
    for cache in &caches {
        let resource = cache.resource(ctx);
        observations.push(match judge(cache) {
            Ok((ok, message, evidence)) => Observation::judge(ok, &resource, message, evidence),
            Err(reason) => Observation::not_applicable(&resource, reason),
        });
    }
    or_not_applicable(ctx, observations, || {
        format!("no ElastiCache caches in {}", ctx.region())
    })
}

fn encryption_message(on: bool, label: String, place: &str) -> String {
    if on {
        format!("{label} encrypts data {place}")
    } else {
        format!("{label} does not encrypt data {place}")
    }
}

pub async fn at_rest_encryption(ctx: CheckCtx) -> Vec<Observation> {
    each_cache(&ctx, |cache| {
        let on = match cache {
            Cache::Group(g) => g.at_rest_encryption,
            Cache::Cluster(c) if c.engine == "memcached" => {
                return Err(format!(
                    "{}: Memcached keeps data only in memory",
                    cache.label()
                ))
            }
            Cache::Cluster(c) => c.at_rest_encryption,
            // Serverless caches are always encrypted at rest.
            Cache::Serverless(_) => true,
        };
        Ok((
            on,
            encryption_message(on, cache.label(), "at rest"),
            json!({ "at_rest_encryption": on }),
        ))
    })
    .await
}

pub async fn in_transit_encryption(ctx: CheckCtx) -> Vec<Observation> {
    each_cache(&ctx, |cache| {
        let on = match cache {
            Cache::Group(g) => g.transit_encryption,
            Cache::Cluster(c) => c.transit_encryption,
            // Serverless caches accept TLS connections only.
            Cache::Serverless(_) => true,
        };
        Ok((
            on,
            encryption_message(on, cache.label(), "in transit"),
            json!({ "transit_encryption": on }),
        ))
    })
    .await
}

pub async fn auth(ctx: CheckCtx) -> Vec<Observation> {
    each_cache(&ctx, |cache| {
        if cache.is_memcached() {
            return Err(format!("{}: Memcached has no AUTH", cache.label()));
        }
        let (token, groups): (bool, Vec<String>) = match cache {
            Cache::Group(g) => (g.auth_token_enabled, g.user_group_ids.clone()),
            Cache::Cluster(c) => (c.auth_token_enabled, Vec::new()),
            Cache::Serverless(s) => (false, s.user_group_id.iter().cloned().collect()),
        };
        let ok = token || !groups.is_empty();
        let message = match (token, groups.is_empty()) {
            (true, _) => format!("{} requires an AUTH token", cache.label()),
            (false, false) => format!(
                "{} uses RBAC user group{} {}",
                cache.label(),
                crate::verdict::plural(groups.len()),
                groups.join(", ")
            ),
            (false, true) => format!(
                "{} accepts connections without AUTH (no token, no user group)",
                cache.label()
            ),
        };
        Ok((
            ok,
            message,
            json!({ "auth_token_enabled": token, "user_group_ids": groups }),
        ))
    })
    .await
}

pub async fn automatic_failover(ctx: CheckCtx) -> Vec<Observation> {
    each_cache(&ctx, |cache| match cache {
        Cache::Group(g) => {
            let on = g.automatic_failover.as_deref() == Some("enabled");
            let message = if on {
                format!("{} fails over automatically (Multi-AZ {})", cache.label(), g.multi_az.as_deref().unwrap_or("unknown"))
            } else {
                format!(
                    "{} has automatic failover {}: losing the primary node means downtime",
                    cache.label(),
                    g.automatic_failover.as_deref().unwrap_or("unset")
                )
            };
            Ok((on, message, json!({ "automatic_failover": g.automatic_failover, "multi_az": g.multi_az, "members": g.member_clusters })))
        }
        Cache::Cluster(c) if c.engine == "memcached" => {
            Err(format!("{}: Memcached nodes are independent; there is no primary to fail over", cache.label()))
        }
        Cache::Cluster(_) => Ok((
            false,
            format!("{} is a single node outside a replication group: it cannot fail over", cache.label()),
            json!({ "replication_group": null }),
        )),
        Cache::Serverless(_) => Ok((
            true,
            format!("{} replicates across Availability Zones by design", cache.label()),
            json!({ "serverless": true }),
        )),
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::*;
    use crate::finding::Status;
    use crate::inventory::{Fetched, InventoryData, Memo};

    fn group(id: &str, secure: bool) -> ReplicationGroup {
        ReplicationGroup {
            id: id.into(),
            arn: None,
            engine: Some("redis".into()),
            at_rest_encryption: secure,
            transit_encryption: secure,
            auth_token_enabled: secure,
            user_group_ids: vec![],
            automatic_failover: Some(if secure { "enabled" } else { "disabled" }.into()),
            multi_az: Some("enabled".into()),
            member_clusters: vec![format!("{id}-001")],
        }
    }

    fn cluster(id: &str, engine: &str, group: Option<&str>) -> CacheCluster {
        CacheCluster {
            id: id.into(),
            arn: None,
            engine: engine.into(),
            replication_group_id: group.map(str::to_string),
            at_rest_encryption: false,
            transit_encryption: true,
            auth_token_enabled: false,
        }
    }

    fn account(serverless: Fetched<Vec<ServerlessCache>>) -> InventoryData {
        let mut data = data();
        let pieces = &mut data.region_mut(REGION).elasticache;
        pieces.replication_groups = Memo::ready(Fetched::Ok(vec![
            group("sessions", true),
            group("legacy", false),
        ]));
        pieces.cache_clusters = Memo::ready(Fetched::Ok(vec![
            cluster("sessions-001", "redis", Some("sessions")),
            cluster("pages", "memcached", None),
            cluster("scratch", "redis", None),
        ]));
        pieces.serverless_caches = Memo::ready(serverless);
        data
    }

    fn serverless(user_group: Option<&str>) -> Fetched<Vec<ServerlessCache>> {
        Fetched::Ok(vec![ServerlessCache {
            name: "carts".into(),
            arn: None,
            engine: "valkey".into(),
            user_group_id: user_group.map(str::to_string),
        }])
    }

    #[tokio::test]
    async fn each_kind_of_cache_is_judged() {
        let found = run(account(serverless(Some("app"))), true, at_rest_encryption).await;
        assert_eq!(status_of(&found, "replicationgroup:sessions"), Status::Pass);
        assert_eq!(status_of(&found, "replicationgroup:legacy"), Status::Fail);
        assert_eq!(status_of(&found, "cluster:pages"), Status::NotApplicable);
        assert_eq!(status_of(&found, "cluster:scratch"), Status::Fail);
        assert_eq!(status_of(&found, "serverlesscache:carts"), Status::Pass);
        assert!(
            !found
                .iter()
                .any(|o| o.resource_id.ends_with("sessions-001")),
            "members are judged through their group"
        );

        let found = run(
            account(serverless(Some("app"))),
            true,
            in_transit_encryption,
        )
        .await;
        assert_eq!(status_of(&found, "replicationgroup:legacy"), Status::Fail);
        assert_eq!(status_of(&found, "cluster:pages"), Status::Pass);

        let found = run(account(serverless(None)), true, auth).await;
        assert_eq!(status_of(&found, "replicationgroup:sessions"), Status::Pass);
        assert_eq!(status_of(&found, "replicationgroup:legacy"), Status::Fail);
        assert_eq!(status_of(&found, "cluster:pages"), Status::NotApplicable);
        assert_eq!(status_of(&found, "serverlesscache:carts"), Status::Fail);
        let with_group = run(account(serverless(Some("app"))), true, auth).await;
        assert_eq!(
            status_of(&with_group, "serverlesscache:carts"),
            Status::Pass
        );

        let found = run(account(serverless(None)), true, automatic_failover).await;
        assert_eq!(status_of(&found, "replicationgroup:sessions"), Status::Pass);
        assert_eq!(status_of(&found, "replicationgroup:legacy"), Status::Fail);
        assert_eq!(status_of(&found, "cluster:scratch"), Status::Fail);
    }

    #[tokio::test]
    async fn a_failed_serverless_listing_costs_only_serverless_caches() {
        let found = run(
            account(err("elasticache", "DescribeServerlessCaches")),
            true,
            at_rest_encryption,
        )
        .await;
        assert_eq!(status_of(&found, "replicationgroup:sessions"), Status::Pass);
        assert_eq!(status_of(&found, "replicationgroup:legacy"), Status::Fail);
        let errors: Vec<_> = found.iter().filter(|o| o.status == Status::Error).collect();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("DescribeServerlessCaches"));
    }
}
