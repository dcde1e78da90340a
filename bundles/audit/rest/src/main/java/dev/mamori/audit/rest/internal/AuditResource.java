package dev.mamori.audit.rest.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mamori.audit.AuditEntry;
import dev.mamori.audit.AuditExport;
import dev.mamori.audit.AuditPage;
import dev.mamori.audit.AuditQuery;
import dev.mamori.audit.AuditService;
import dev.mamori.audit.AuditVerification;
import dev.mamori.audit.LogCheckpoint;
import dev.mamori.audit.LoggedErrors;
import dev.mamori.audit.Proof;
import dev.mamori.platform.error.ErrorKind;
import dev.mamori.platform.error.MamoriException;
import dev.mamori.platform.error.PlatformErrors;
import dev.mamori.platform.event.MamoriEvent;
import dev.mamori.rest.spi.BodyLimit;
import dev.mamori.rest.spi.ProblemResponses;
import dev.mamori.rest.spi.RestConstants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The audit log over REST (AUD-3, AUD-4). Who may read which log is the service's decision (a
 * tenant admin its tenant's, an operator the platform's or a tenant's with {@code reason}); this
 * resource only checks the parameters' shape.
 */
@Component(service = AuditResource.class, property = RestConstants.API_RESOURCE + "=true")
@Path("/audit")
@Tag(name = "audit", description = "The tamper-evident audit log: entries, export, checkpoints, proofs, verification")
@ProblemResponses({ErrorKind.UNAUTHENTICATED, ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID, ErrorKind.UNAVAILABLE})
public class AuditResource {
    /** JSON Lines. */
    static final String JSONL = "application/jsonl";
    private final AuditService audit;
    private final LoggedErrors errors;

    /**
     * @param audit  the audit service
     * @param errors the server's error counts
     */
    @Activate
    public AuditResource(@Reference AuditService audit, @Reference LoggedErrors errors) {
        this.audit = audit;
        this.errors = errors;
    }

    /** @return errors logged since the start, per logger (operators) */
    @GET
    @Path("/errors")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "loggedErrors", summary = "Errors the server logged", description = "ERROR and FATAL log events since "
            + "the start, counted per logger, with the last one's time and first line (AUD-5): what operators are alerted on. "
            + "Operators only.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public Map<String, Map<String, Object>> errors() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        errors.counts().forEach((logger, c) -> out.put(logger, Map.of("count", c.count(), "last", c.last().toString(), "message",
                c.message())));
        return out;
    }

    /** An entry as the API shows it: the decoded event, with its time in the configured zone. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class EntryView {
        /** Position in the log. */
        public long index;
        /** Event id. */
        public String id;
        /** Time, with the configured zone's offset. */
        public String time;
        /** Action. */
        public String action;
        /** Outcome. */
        public String outcome;
        /** Tenant. */
        public String tenant;
        /** Actor id (opaque). */
        public String actorId;
        /** Actor kind. */
        public String actorKind;
        /** Actor roles. */
        public List<String> actorRoles;
        /** Channel. */
        public String channel;
        /** Client address. */
        public String clientIp;
        /** User agent. */
        public String userAgent;
        /** Request id. */
        public String requestId;
        /** Platform purpose. */
        public String purpose;
        /** Target type. */
        public String targetType;
        /** Target id. */
        public String targetId;
        /** Details. */
        public Map<String, String> details;

        static EntryView of(AuditEntry e) {
            MamoriEvent ev = e.event();
            EntryView v = new EntryView();
            v.index = e.index();
            v.id = ev.id().toString();
            v.time = ev.time().toString();
            v.action = ev.type();
            v.outcome = ev.outcome().name();
            v.tenant = ev.tenantId().orElse(null);
            v.actorId = ev.principalId().orElse(null);
            v.actorKind = ev.principalKind().map(Enum::name).orElse(null);
            v.actorRoles = ev.principalRoles().isEmpty() ? null : new ArrayList<>(ev.principalRoles());
            v.channel = ev.channel().orElse(null);
            v.clientIp = ev.clientIp().orElse(null);
            v.userAgent = ev.userAgent().orElse(null);
            v.requestId = ev.requestId().orElse(null);
            v.purpose = ev.purpose().orElse(null);
            v.targetType = ev.targetType().orElse(null);
            v.targetId = ev.targetId().orElse(null);
            v.details = ev.details().isEmpty() ? null : new TreeMap<>(ev.details());
            return v;
        }
    }

    /** A page of entries. */
    public static final class PageView {
        /** Entries. */
        public List<EntryView> entries;
        /** Cursor of the next page ({@code after}), or null on the last. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public Long next;
    }

    /** A signed checkpoint with the keys that verify it. */
    public static final class CheckpointView {
        /** Log. */
        public String log;
        /** Entries covered. */
        public long size;
        /** Root hash, base64. */
        public String root;
        /** When signed. */
        public String time;
        /** The C2SP signed note. */
        public String note;
        /** Verifier keys (C2SP), oldest first. */
        public List<String> verifierKeys;
    }

    /** A proof. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class ProofView {
        /** Log. */
        public String log;
        /** Leaf index (inclusion). */
        public Long index;
        /** Tree size (inclusion). */
        public Long treeSize;
        /** Older size (consistency). */
        public Long first;
        /** Newer size (consistency). */
        public Long second;
        /** Leaf hash, base64 (inclusion). */
        public String leafHash;
        /** The proof's hashes, base64, RFC 9162 order. */
        public List<String> path;
    }

    /** What to verify. */
    public static final class VerifyRequest {
        /** Log (default: the caller's). */
        public String log;
        /** An operator's reason for a tenant's log. */
        public String reason;
        /** Checkpoints the caller kept (signed notes). */
        public List<String> checkpoints;
    }

    /**
     * @return a page of entries
     */
    @GET
    @Path("/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "searchAudit", summary = "Search the audit log", description = "Entries in index order, filtered by "
            + "time, actor, action and outcome, paged with after/next. Tenant admins read their tenant's log; operators the "
            + "platform's, or a tenant's with a reason recorded in that tenant's log.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public PageView events(@Parameter(description = "Log: a tenant id or 'platform' (default: the caller's)") @QueryParam("log") String log,
            @Parameter(description = "From (ISO-8601 with offset), inclusive") @QueryParam("from") String from,
            @Parameter(description = "To (ISO-8601 with offset), exclusive") @QueryParam("to") String to,
            @Parameter(description = "Actor id") @QueryParam("actor") String actor,
            @Parameter(description = "Action, or a prefix ending in '.'") @QueryParam("action") String action,
            @Parameter(description = "SUCCESS, FAILURE or DENIED") @QueryParam("outcome") String outcome,
            @Parameter(description = "Cursor: entries after this index") @QueryParam("after") String after,
            @Parameter(description = "Page size, 1-1000 (default 100)") @QueryParam("limit") String limit,
            @Parameter(description = "An operator's reason for a tenant's log") @QueryParam("reason") String reason) {
        AuditQuery q;
        try {
            q = new AuditQuery(log, instant(from, "from"), instant(to, "to"), token(actor, "actor"), token(action, "action"),
                    outcome(outcome), number(after, "after", -1), (int) number(limit, "limit", 100), reason);
        } catch (IllegalArgumentException e) {
            throw new MamoriException(PlatformErrors.INVALID, e.getMessage());
        }
        AuditPage page = audit.search(q);
        PageView v = new PageView();
        v.entries = page.entries().stream().map(EntryView::of).toList();
        v.next = page.next() < 0 ? null : page.next();
        return v;
    }

    /** @return the log as JSON Lines */
    @GET
    @Path("/export")
    @Produces(JSONL)
    @Operation(operationId = "exportAudit", summary = "Export the audit log", description = "JSON Lines: header with verifier keys, "
            + "every entry with its canonical bytes, checkpoints, trailer; checked offline with the audit API jar.",
            security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public Response export(@QueryParam("log") String log, @QueryParam("reason") String reason) {
        AuditExport export = audit.export(log, reason);
        StreamingOutput body = export::writeTo;
        return Response.ok(body, JSONL).header("Content-Disposition", "attachment; filename=\"audit-" + export.log() + ".jsonl\"").build();
    }

    /** @return the newest signed checkpoint */
    @GET
    @Path("/checkpoint")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "auditCheckpoint", summary = "The newest signed checkpoint", description = "A C2SP tlog-checkpoint "
            + "signed note over the log's current size and root, with the verifier keys. Keep it: a later consistency proof shows "
            + "nothing before it was rewritten.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public CheckpointView checkpoint(@QueryParam("log") String log, @QueryParam("reason") String reason) {
        LogCheckpoint cp = audit.checkpoint(log, reason)
                .orElseThrow(() -> new MamoriException(PlatformErrors.INVALID, "The log has no entry yet, so no checkpoint."));
        CheckpointView v = new CheckpointView();
        v.log = cp.log();
        v.size = cp.size();
        v.root = cp.rootBase64();
        v.time = cp.time().toString();
        v.note = cp.note();
        v.verifierKeys = audit.verifierKeys(cp.log(), reason);
        return v;
    }

    /** @return an inclusion proof */
    @GET
    @Path("/proof/inclusion")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "auditInclusionProof", summary = "Inclusion proof", description = "RFC 9162 audit path of an entry in "
            + "the tree of a checkpoint's size.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public ProofView inclusion(@QueryParam("log") String log, @QueryParam("index") String index, @QueryParam("treeSize") String treeSize,
            @QueryParam("reason") String reason) {
        Proof p = audit.inclusion(log, required(index, "index"), required(treeSize, "treeSize"), reason);
        ProofView v = view(p);
        v.index = p.first();
        v.treeSize = p.second();
        v.leafHash = Base64.getEncoder().encodeToString(p.leafHash());
        return v;
    }

    /** @return a consistency proof */
    @GET
    @Path("/proof/consistency")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(operationId = "auditConsistencyProof", summary = "Consistency proof", description = "RFC 9162 proof that the tree "
            + "of the second size extends the tree of the first.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public ProofView consistency(@QueryParam("log") String log, @QueryParam("first") String first, @QueryParam("second") String second,
            @QueryParam("reason") String reason) {
        Proof p = audit.consistency(log, required(first, "first"), required(second, "second"), reason);
        ProofView v = view(p);
        v.first = p.first();
        v.second = p.second();
        return v;
    }

    /** @return what the verification found */
    @POST
    @Path("/verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @BodyLimit(256 * 1024)
    @Operation(operationId = "verifyAudit", summary = "Verify the audit log", description = "Checks every entry against its leaf, "
            + "its position, every signed checkpoint, the sinks' copies and the checkpoints given; names the first bad position "
            + "and the kind of damage.", security = @SecurityRequirement(name = RestConstants.SECURITY_SCHEME))
    public AuditVerification verify(VerifyRequest request) {
        VerifyRequest r = request == null ? new VerifyRequest() : request;
        List<String> notes = r.checkpoints == null ? List.of() : r.checkpoints;
        if (notes.size() > 100 || notes.stream().anyMatch(n -> n == null || n.length() > 4000)) {
            throw new MamoriException(PlatformErrors.INVALID, "At most 100 checkpoints, each a signed note of at most 4000 characters.");
        }
        return audit.verify(r.log, notes, r.reason);
    }

    private static ProofView view(Proof p) {
        ProofView v = new ProofView();
        v.log = p.log();
        v.path = p.path().stream().map(h -> Base64.getEncoder().encodeToString(h)).toList();
        return v;
    }

    private static Instant instant(String s, String name) {
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " is an ISO-8601 time with an offset, e.g. 2026-12-01T00:00:00+09:00.");
        }
    }

    private static String token(String s, String name) {
        if (s != null && (s.isEmpty() || s.length() > 256 || s.chars().anyMatch(Character::isISOControl))) {
            throw new IllegalArgumentException(name + " is 1-256 characters without control characters.");
        }
        return s;
    }

    private static MamoriEvent.Outcome outcome(String s) {
        if (s == null) {
            return null;
        }
        try {
            return MamoriEvent.Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("outcome is SUCCESS, FAILURE or DENIED.");
        }
    }

    private static long number(String s, String name, long dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is a whole number.");
        }
    }

    private static long required(String s, String name) {
        if (s == null) {
            throw new MamoriException(PlatformErrors.INVALID, name + " is required.");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MamoriException(PlatformErrors.INVALID, name + " is a whole number.");
        }
    }
}
