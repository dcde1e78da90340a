package dev.mamori.tenant.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.PersistenceException;
import javax.persistence.TypedQuery;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import dev.mamori.platform.context.ExecutionContext;
import dev.mamori.platform.context.Principal;
import dev.mamori.platform.context.PrincipalKind;
import dev.mamori.platform.db.SchemaReady;
import dev.mamori.platform.db.Transactions;
import dev.mamori.platform.event.EventPublisher;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.tenant.DuplicateTenantException;
import dev.mamori.tenant.IllegalTransitionException;
import dev.mamori.tenant.InvalidTenantDataException;
import dev.mamori.tenant.NewTenant;
import dev.mamori.tenant.Tenant;
import dev.mamori.tenant.TenantEvents;
import dev.mamori.tenant.TenantNotFoundException;
import dev.mamori.tenant.TenantService;
import dev.mamori.tenant.TenantState;

/**
 * Tenants on the {@code mamori} DataSource (schema {@code tenant}, migrated by the platform at
 * bundle start). Every change publishes its event inside its own transaction.
 */
@Component(service = TenantService.class, configurationPid = TenantServiceImpl.PID)
@Designate(ocd = TenantServiceImpl.Config.class)
public class TenantServiceImpl implements TenantService {
    static final String PID = "dev.mamori.tenant";
    private static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,61}[a-z0-9]");
    private static final Pattern PLAN = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]{1,12})?");

    /** Tenant configuration (PID {@value TenantServiceImpl#PID}). */
    @ObjectClassDefinition(name = "Mamori tenants", description = "Defaults and limits of tenant records.")
    public @interface Config {
        /** @return trial length */
        @AttributeDefinition(description = "Length of a trial in days when no end date is given.", min = "1", max = "366")
        int trial_days() default 30;

        /** @return allowed regions */
        @AttributeDefinition(description = "Data residency regions this deployment has storage for (TEN-6).")
        String[] regions() default {"jp"};
    }

    private final EntityManagerFactory emf;
    private final EventPublisher events;
    private volatile Config config;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    /**
     * @param emf    the tenant persistence unit
     * @param schema present once the tenant schema is migrated on the unit's DataSource
     * @param events where every change is published
     * @param config configuration
     */
    @Activate
    public TenantServiceImpl(@Reference(target = "(osgi.unit.name=mamori-tenant)") EntityManagerFactory emf,
            @Reference(target = "(" + SchemaReady.NAME + "=tenant)") SchemaReady schema, @Reference EventPublisher events,
            Config config) {
        this(emf, events, config);
    }

    TenantServiceImpl(EntityManagerFactory emf, EventPublisher events, Config config) {
        this.emf = emf;
        this.events = events;
        this.config = config;
    }

    @Modified
    void modified(Config config) {
        this.config = config;
    }

    @Override
    public Tenant create(NewTenant request) {
        requirePlatform();
        String slug = request.slug();
        require(SLUG.matcher(slug).matches(), "slug must be 3-63 characters of a-z, 0-9 and '-', "
                + "starting and ending with a letter or digit");
        require(!UUID_PATTERN.matcher(slug).matches(), "slug must not look like a tenant id");
        String name = request.displayName().strip();
        require(!name.isEmpty() && name.length() <= 200, "display name must be 1-200 characters");
        require(name.codePoints().noneMatch(Character::isISOControl), "display name must not contain control characters");
        require(PLAN.matcher(request.plan()).matches(), "plan must be 1-40 characters of a-z, 0-9, '_' and '-'");
        require(REGION.matcher(request.region()).matches() && allowedRegions().contains(request.region()),
                "region '" + printable(request.region()) + "' is not one of " + allowedRegions());

        Instant now = clock.instant();
        LocalDate today = LocalDate.now(clock);
        TenantEntity e = new TenantEntity();
        e.id = UUID.randomUUID().toString();
        e.slug = slug;
        e.displayName = name;
        e.plan = request.plan();
        e.region = request.region();
        if (request.trial()) {
            e.state = TenantState.TRIAL;
            e.trialEndsOn = request.trialEndsOn() != null ? request.trialEndsOn() : today.plusDays(config.trial_days());
            require(!e.trialEndsOn.isBefore(today), "trial end must not be in the past");
        } else {
            e.state = TenantState.ACTIVE;
            e.contractStart = request.contractStart();
            e.contractEnd = request.contractEnd();
            require(e.contractEnd == null || !e.contractEnd.isBefore(e.contractStart), "contract end must not precede its start");
        }
        e.createdAt = now;
        e.updatedAt = now;
        e.stateChangedAt = now;
        // slugs stay taken by DELETED and PURGED tenants too (whoever asks)
        if (tx(em -> findEntity(em, slug)).isPresent()) {
            throw new DuplicateTenantException("A tenant with slug '" + slug + "' already exists.");
        }
        try {
            return tx(em -> {
                em.persist(e);
                em.flush();
                Tenant created = e.toValue();
                events.publish(publish(MamoriEvent.builder(TenantEvents.CREATED), created).detail("state", created.state())
                        .detail("plan", created.plan()).detail("region", created.region()));
                return created;
            });
        } catch (PersistenceException ex) {
            if (tx(em -> findEntity(em, slug)).isPresent()) {
                throw new DuplicateTenantException("A tenant with slug '" + slug + "' already exists.");
            }
            throw ex;
        }
    }

    @Override
    public Optional<Tenant> find(String idOrSlug) {
        if (idOrSlug == null || idOrSlug.isEmpty() || idOrSlug.length() > 63) {
            return Optional.empty();
        }
        return tx(em -> findEntity(em, idOrSlug).map(TenantEntity::toValue)).filter(TenantServiceImpl::visible);
    }

    @Override
    public List<Tenant> list() {
        return tx(em -> em.createQuery("SELECT t FROM Tenant t ORDER BY t.slug", TenantEntity.class)
                .getResultList().stream().map(TenantEntity::toValue).filter(TenantServiceImpl::visible).collect(Collectors.toList()));
    }

    /**
     * The lifecycle is the platform's business (TEN-2, AUD-4): operators and the platform itself
     * (jobs) change tenants, checked here and not only by the REST adapter or the shell's ACL.
     */
    private static void requirePlatform() {
        ExecutionContext.require().requirePrincipal(PrincipalKind.OPERATOR, PrincipalKind.SYSTEM);
    }

    /**
     * Operators, support and the platform see every tenant; anyone else (and code with no context)
     * sees no DELETED or PURGED tenant, and a user or tenant plugin only its own.
     */
    static boolean visible(Tenant t) {
        Optional<Principal> p = ExecutionContext.current().flatMap(ExecutionContext::principal);
        if (p.isPresent() && p.get().kind().isPlatform()) {
            return true;
        }
        if (t.state() == TenantState.DELETED || t.state() == TenantState.PURGED) {
            return false;
        }
        return p.flatMap(Principal::tenantId).map(t.id()::equals).orElse(true);
    }

    @Override
    public Tenant activate(String idOrSlug, String plan, LocalDate contractStart, LocalDate contractEnd) {
        requirePlatform();
        require(plan != null && PLAN.matcher(plan).matches(), "plan must be 1-40 characters of a-z, 0-9, '_' and '-'");
        return transition(idOrSlug, TenantState.ACTIVE, e -> {
            e.plan = plan;
            e.contractStart = contractStart != null ? contractStart : LocalDate.now(clock);
            e.contractEnd = contractEnd;
            require(e.contractEnd == null || !e.contractEnd.isBefore(e.contractStart), "contract end must not precede its start");
            e.terminationDate = null;
        });
    }

    @Override
    public Tenant expire(String idOrSlug) {
        requirePlatform();
        return transition(idOrSlug, TenantState.EXPIRED, e -> { });
    }

    @Override
    public Tenant delete(String idOrSlug, String confirmation) {
        requirePlatform();
        // checked on the locked row inside the transaction, so a refusal rolls back with nothing changed
        return transition(idOrSlug, TenantState.DELETED, e -> {
            if (!e.slug.equals(confirmation)) {
                throw new InvalidTenantDataException("The confirmation must repeat the slug '" + e.slug
                        + "' exactly; nothing deleted.");
            }
        });
    }

    @Override
    public Tenant expire(String idOrSlug, Instant seen) {
        requirePlatform();
        return transition(idOrSlug, TenantState.EXPIRED, e -> unchangedSince(e, seen));
    }

    @Override
    public Tenant delete(String idOrSlug, String confirmation, Instant seen) {
        requirePlatform();
        return transition(idOrSlug, TenantState.DELETED, e -> {
            unchangedSince(e, seen);
            if (!e.slug.equals(confirmation)) {
                throw new InvalidTenantDataException("The confirmation must repeat the slug '" + e.slug
                        + "' exactly; nothing deleted.");
            }
        });
    }

    /** Checked on the locked row: a job acts only on the tenant as it read it. */
    private static void unchangedSince(TenantEntity e, Instant seen) {
        if (seen == null || !seen.equals(e.updatedAt)) {
            throw new IllegalTransitionException("Tenant '" + e.slug + "' changed since it was read; nothing done.");
        }
    }

    @Override
    public Tenant terminate(String idOrSlug, LocalDate terminationDate) {
        requirePlatform();
        require(terminationDate != null, "termination date is required");
        Instant now = clock.instant();
        return tx(em -> {
            TenantEntity e = lockedEntity(em, idOrSlug);
            TenantState before = e.state;
            if (e.state == TenantState.DELETED || e.state == TenantState.PURGED) {
                throw new IllegalTransitionException("Tenant '" + e.slug + "' is " + e.state
                        + "; a termination can only be recorded while the contract exists.");
            }
            e.terminationDate = terminationDate;
            if (e.state.usersHaveAccess()) {
                e.state = TenantState.EXPIRED;
                e.stateChangedAt = now;
            }
            e.updatedAt = now;
            Tenant after = e.toValue();
            em.flush();
            events.publish(publish(MamoriEvent.builder(TenantEvents.TERMINATED), after).detail("terminationDate", terminationDate)
                    .detail("from", before).detail("to", after.state()));
            return after;
        });
    }

    @Override
    public Tenant markPurged(String idOrSlug) {
        requirePlatform();
        return transition(idOrSlug, TenantState.PURGED, e -> { });
    }

    private Tenant transition(String idOrSlug, TenantState target, java.util.function.Consumer<TenantEntity> change) {
        Instant now = clock.instant();
        return tx(em -> {
            TenantEntity e = lockedEntity(em, idOrSlug);
            TenantState from = e.state;
            if (!e.state.canMoveTo(target)) {
                throw new IllegalTransitionException("Tenant '" + e.slug + "' cannot go from " + e.state + " to "
                        + target + "; allowed from " + e.state + ": " + describe(e.state.allowedTargets()) + ".");
            }
            change.accept(e);
            e.state = target;
            e.stateChangedAt = now;
            e.updatedAt = now;
            Tenant after = e.toValue();
            em.flush();
            // inside the transaction: a required listener (audit) that fails undoes the transition
            events.publish(publish(MamoriEvent.builder(TenantEvents.STATE_CHANGED), after).detail("from", from)
                    .detail("to", target));
            return after;
        });
    }

    private static MamoriEvent.Builder publish(MamoriEvent.Builder b, Tenant t) {
        return b.tenant(t.id()).target("tenant", t.id());
    }

    private static String describe(Set<TenantState> states) {
        return states.isEmpty() ? "nothing (final state)" : states.toString();
    }

    private TenantEntity lockedEntity(EntityManager em, String idOrSlug) {
        TenantEntity e = findEntity(em, idOrSlug).filter(t -> visible(t.toValue())).orElseThrow(
                () -> new TenantNotFoundException("No tenant '" + printable(idOrSlug) + "'."));
        // serialises concurrent transitions of one tenant across nodes
        em.refresh(e, javax.persistence.LockModeType.PESSIMISTIC_WRITE);
        return e;
    }

    private static Optional<TenantEntity> findEntity(EntityManager em, String idOrSlug) {
        if (idOrSlug == null) {
            return Optional.empty();
        }
        if (UUID_PATTERN.matcher(idOrSlug).matches()) {
            return Optional.ofNullable(em.find(TenantEntity.class, idOrSlug));
        }
        TypedQuery<TenantEntity> q = em.createQuery("SELECT t FROM Tenant t WHERE t.slug = :slug", TenantEntity.class);
        return q.setParameter("slug", idOrSlug).getResultList().stream().findFirst();
    }

    private <T> T tx(Function<EntityManager, T> work) {
        return Transactions.inTransaction(emf, Map.of(), work);
    }

    private Set<String> allowedRegions() {
        return Set.copyOf(Arrays.asList(config.regions()));
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new InvalidTenantDataException("Invalid tenant: " + message + ".");
        }
    }

    /** Echoes caller input in errors without letting it forge lines (SEC-7). */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        String cut = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
