use aws_sdk_elasticache::types::AutomaticFailoverStatus;
use serde_json::json;

use super::{or_not_applicable, CheckCtx};
use crate::finding::{Observation, Resource};
use crate::inventory::FetchError;
use crate::model::elasticache::{
    requires_tls, CacheCluster, ReplicationGroup, ServerlessCache, UserGroup,
};

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
        let (enabled, mode) = match cache {
            Cache::Group(g) => (g.transit_encryption, g.transit_encryption_mode.as_deref()),
            Cache::Cluster(c) => (c.transit_encryption, c.transit_encryption_mode.as_deref()),
            // Serverless caches accept TLS connections only.
            Cache::Serverless(_) => (true, None),
        };
        let on = requires_tls(enabled, mode);
        let message = if enabled && !on {
            format!(
                "{} has TLS in `preferred` mode: it still accepts plaintext connections",
                cache.label()
            )
        } else {
            encryption_message(on, cache.label(), "in transit")
        };
        Ok((
            on,
            message,
            json!({ "transit_encryption": enabled, "transit_encryption_mode": mode }),
        ))
    })
    .await
}

/// Whether the user groups let a client in without credentials: the first group whose
/// `default` user has no password and may run commands, or the reason it is unknown.
fn open_group<'a>(
    groups: &'a [UserGroup],
    ids: &[String],
) -> Result<Option<(&'a UserGroup, String)>, FetchError> {
    for id in ids {
        let Some(group) = groups.iter().find(|g| &g.id == id) else {
            return Err(FetchError::new(
                "elasticache",
                "DescribeUserGroups",
                Some(id),
                "UserGroupNotFound",
                "the cache names this user group but DescribeUserGroups did not return it",
            ));
        };
        if let Some(user) = group.open_default_user() {
            let access = user.access_string.clone().unwrap_or_default();
            return Ok(Some((group, access)));
        }
        if !group.missing_user_ids.is_empty() {
            return Err(FetchError::new(
                "elasticache",
                "DescribeUsers",
                Some(id),
                "UserNotFound",
                format!(
                    "users {} of the group were not returned: whether they admit anyone is unknown",
                    group.missing_user_ids.join(", ")
                ),
            ));
        }
    }
    Ok(None)
}

pub async fn auth(ctx: CheckCtx) -> Vec<Observation> {
    let (caches, mut observations) = caches(&ctx).await;
    let groups_of = |cache: &Cache| -> Vec<String> {
        match cache {
            Cache::Group(g) => g.user_group_ids.clone(),
            Cache::Cluster(_) => Vec::new(),
            Cache::Serverless(s) => s.user_group_id.iter().cloned().collect(),
        }
    };
    // Read only where a cache uses RBAC.
    let user_groups = if caches.iter().any(|c| !groups_of(c).is_empty()) {
        Some(ctx.inventory.elasticache_user_groups(ctx.region()).await)
    } else {
        None
    };
    for cache in &caches {
        let resource = cache.resource(&ctx);
        if cache.is_memcached() {
            observations.push(Observation::not_applicable(
                &resource,
                format!("{}: Memcached has no AUTH", cache.label()),
            ));
            continue;
        }
        let token = matches!(cache, Cache::Group(g) if g.auth_token_enabled)
            || matches!(cache, Cache::Cluster(c) if c.auth_token_enabled);
        let groups = groups_of(cache);
        let evidence = json!({ "auth_token_enabled": token, "user_group_ids": groups });
        let observation = if token {
            Observation::pass(
                &resource,
                format!("{} requires an AUTH token", cache.label()),
                evidence,
            )
        } else if groups.is_empty() {
            Observation::fail(
                &resource,
                format!(
                    "{} accepts connections without AUTH (no token, no user group)",
                    cache.label()
                ),
                evidence,
            )
        } else {
            let found = match user_groups
                .expect("read when a cache has user groups")
                .as_result()
            {
                Ok(all) => open_group(all, &groups),
                Err(error) => Err(error.clone()),
            };
            match found {
                Err(error) => Observation::unverified(&resource, &error),
                Ok(Some((group, access))) => Observation::fail(
                    &resource,
                    format!(
                        "{}: user group {} lets clients in without a password as `default` ({access})",
                        cache.label(),
                        group.id
                    ),
                    json!({ "auth_token_enabled": token, "user_group_ids": groups, "open_group": group }),
                ),
                Ok(None) => Observation::pass(
                    &resource,
                    format!(
                        "{} uses RBAC user group{} {}, none of which admits clients without a password",
                        cache.label(),
                        crate::verdict::plural(groups.len()),
                        groups.join(", ")
                    ),
                    evidence,
                ),
            }
        };
        observations.push(observation);
    }
    or_not_applicable(&ctx, observations, || {
        format!("no ElastiCache caches in {}", ctx.region())
    })
}

pub async fn automatic_failover(ctx: CheckCtx) -> Vec<Observation> {
    each_cache(&ctx, |cache| match cache {
        Cache::Group(g) => {
            let on = g.automatic_failover.as_deref().map(AutomaticFailoverStatus::from)
                == Some(AutomaticFailoverStatus::Enabled);
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
    use crate::model::elasticache::CacheUser;
    use aws_sdk_elasticache::types::{AuthenticationType, TransitEncryptionMode};

    fn group(id: &str, secure: bool) -> ReplicationGroup {
        ReplicationGroup {
            id: id.into(),
            arn: None,
            engine: Some("redis".into()),
            at_rest_encryption: secure,
            transit_encryption: secure,
            transit_encryption_mode: None,
            auth_token_enabled: secure,
            user_group_ids: vec![],
            automatic_failover: Some(if secure { "enabled" } else { "disabled" }.into()),
            multi_az: Some("enabled".into()),
            member_clusters: vec![format!("{id}-001")],
            ..ReplicationGroup::default()
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
            transit_encryption_mode: None,
            auth_token_enabled: false,
            ..CacheCluster::default()
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
        pieces.user_groups = Memo::ready(Fetched::Ok(vec![UserGroup {
            id: "app".into(),
            users: vec![CacheUser {
                id: "app-default".into(),
                name: CacheUser::DEFAULT.into(),
                authentication: Some(AuthenticationType::NoPassword.as_str().into()),
                access_string: Some("off ~* -@all".into()),
            }],
            missing_user_ids: vec![],
        }]));
        data
    }

    fn serverless(user_group: Option<&str>) -> Fetched<Vec<ServerlessCache>> {
        Fetched::Ok(vec![ServerlessCache {
            name: "carts".into(),
            arn: None,
            engine: "valkey".into(),
            user_group_id: user_group.map(str::to_string),
            ..ServerlessCache::default()
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

    fn rbac_account(default_access: &str, authentication: AuthenticationType) -> InventoryData {
        let mut data = data();
        let pieces = &mut data.region_mut(REGION).elasticache;
        let mut rbac = group("rbac", false);
        rbac.user_group_ids = vec!["app-users".into()];
        pieces.replication_groups = Memo::ready(Fetched::Ok(vec![rbac]));
        pieces.cache_clusters = Memo::ready(Fetched::Ok(vec![]));
        pieces.serverless_caches = Memo::ready(Fetched::Ok(vec![]));
        pieces.user_groups = Memo::ready(Fetched::Ok(vec![UserGroup {
            id: "app-users".into(),
            users: vec![
                CacheUser {
                    id: "app-default".into(),
                    name: CacheUser::DEFAULT.into(),
                    authentication: Some(authentication.as_str().into()),
                    access_string: Some(default_access.into()),
                },
                CacheUser {
                    id: "app".into(),
                    name: "app".into(),
                    authentication: Some(AuthenticationType::Password.as_str().into()),
                    access_string: Some("on ~app:* +@all".into()),
                },
            ],
            missing_user_ids: vec![],
        }]));
        data
    }

    #[tokio::test]
    async fn a_user_group_whose_default_user_needs_no_password_fails() {
        let open = run(
            rbac_account("on ~* +@all", AuthenticationType::NoPassword),
            true,
            auth,
        )
        .await;
        assert_eq!(statuses(&open), [Status::Fail]);
        assert!(open[0].message.contains("app-users"), "{open:?}");
        for (access, authentication) in [
            ("off ~* +@all", AuthenticationType::NoPassword),
            ("on ~* -@all", AuthenticationType::NoPassword),
            ("on ~* +@all off", AuthenticationType::NoPassword),
            ("on ~* +@all", AuthenticationType::Password),
        ] {
            let found = run(rbac_account(access, authentication.clone()), true, auth).await;
            assert_eq!(
                statuses(&found),
                [Status::Pass],
                "{access} {authentication:?}"
            );
        }
        let mut unread = rbac_account("off", AuthenticationType::NoPassword);
        unread.region_mut(REGION).elasticache.user_groups =
            Memo::ready(err("elasticache", "DescribeUsers"));
        assert_eq!(statuses(&run(unread, true, auth).await), [Status::Error]);
        let mut unknown = rbac_account("off", AuthenticationType::NoPassword);
        unknown.region_mut(REGION).elasticache.user_groups = Memo::ready(Fetched::Ok(vec![]));
        assert_eq!(statuses(&run(unknown, true, auth).await), [Status::Error]);
    }

    #[tokio::test]
    async fn tls_in_preferred_mode_still_accepts_plaintext() {
        let mut data = data();
        let pieces = &mut data.region_mut(REGION).elasticache;
        let mut preferred = group("migrating", true);
        preferred.transit_encryption_mode = Some(TransitEncryptionMode::Preferred.as_str().into());
        let mut required = group("done", true);
        required.transit_encryption_mode = Some(TransitEncryptionMode::Required.as_str().into());
        pieces.replication_groups = Memo::ready(Fetched::Ok(vec![preferred, required]));
        pieces.cache_clusters = Memo::ready(Fetched::Ok(vec![]));
        pieces.serverless_caches = Memo::ready(Fetched::Ok(vec![]));
        let found = run(data, true, in_transit_encryption).await;
        assert_eq!(
            status_of(&found, "replicationgroup:migrating"),
            Status::Fail
        );
        assert_eq!(status_of(&found, "replicationgroup:done"), Status::Pass);
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
