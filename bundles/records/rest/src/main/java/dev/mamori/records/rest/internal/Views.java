package dev.mamori.records.rest.internal;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.mamori.records.Category;
import dev.mamori.records.CategoryCount;
import dev.mamori.records.ErasurePolicy;
import dev.mamori.records.Record;
import dev.mamori.records.TrashItem;

/** What the records API reads and writes. */
final class Views {
    static final String JSON = "application/json";

    private Views() {
    }

    /** A category to define. */
    @Schema(name = "CategoryDefinition", description = "A record category: its JSON Schema and rules")
    public static final class CategoryRequest {
        /** Title. */
        @Schema(description = "What people call it, 1-200 characters", requiredMode = Schema.RequiredMode.REQUIRED)
        public String title;
        /** Schema. */
        @Schema(description = "A JSON Schema (draft 2020-12 unless $schema names 2019-09 or 7); local $ref only, no $id",
                requiredMode = Schema.RequiredMode.REQUIRED, type = "object")
        public JsonNode schema;
        /** Retention. */
        @Schema(description = "Days a record is kept after its last change (RET-5); absent: until deleted")
        public Integer retentionDays;
        /** Erasure. */
        @Schema(description = "What a person's erasure does to their records: DELETE (default) or PSEUDONYMISE")
        public ErasurePolicy onErasure;
    }

    /** A category. */
    @Schema(name = "Category", description = "A record category of the tenant")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class CategoryView {
        /** Name. */
        public String name;
        /** Title. */
        public String title;
        /** Schema. */
        @JsonRawValue
        @Schema(type = "object", description = "The JSON Schema payloads must meet")
        public String schema;
        /** Retention. */
        public Integer retentionDays;
        /** Erasure. */
        public ErasurePolicy onErasure;
        /** Version. */
        public long version;
        /** Created. */
        public Instant createdAt;
        /** Changed. */
        public Instant updatedAt;

        static CategoryView of(Category k) {
            CategoryView v = new CategoryView();
            v.name = k.name();
            v.title = k.title();
            v.schema = k.schema();
            v.retentionDays = k.retentionDays();
            v.onErasure = k.onErasure();
            v.version = k.version();
            v.createdAt = k.createdAt();
            v.updatedAt = k.updatedAt();
            return v;
        }
    }

    /** A record to write. */
    @Schema(name = "RecordRequest", description = "A record's content; on a change, category and subject may be left out (they do not change)")
    public static final class RecordRequest {
        /** Category. */
        @Schema(description = "The category's name (required to create)")
        public String category;
        /** Subject. */
        @Schema(description = "The person's employee number (required to create)")
        public String subject;
        /** Payload. */
        @Schema(description = "A JSON object valid against the category's schema", requiredMode = Schema.RequiredMode.REQUIRED,
                type = "object")
        public JsonNode payload;
        /** Scope. */
        @Schema(description = "Who may see it beyond the category, e.g. dept/sales (IAM-2)")
        public String scope;
        /** Labels. */
        @Schema(description = "Tags to find it by")
        public Set<String> labels;
    }

    /** A record. */
    @Schema(name = "Record", description = "A record, decrypted for a caller allowed to read it")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static final class RecordView {
        /** Id. */
        public String id;
        /** Category. */
        public String category;
        /** Subject. */
        @Schema(description = "The person's employee number")
        public String subject;
        /** Payload. */
        @JsonRawValue
        @Schema(type = "object", description = "The payload (absent where only metadata is shown)")
        public String payload;
        /** Scope. */
        public String scope;
        /** Labels. */
        public Set<String> labels;
        /** Version. */
        @Schema(description = "Also the ETag; send it back in If-Match to change or delete")
        public long version;
        /** Created. */
        public Instant createdAt;
        /** Creator. */
        public String createdBy;
        /** Changed. */
        public Instant updatedAt;
        /** Changer. */
        public String updatedBy;
        /** The person's name. */
        @Schema(description = "With include=subjectName: the person's name, for callers allowed to see it")
        public String subjectName;

        static RecordView of(Record r) {
            RecordView v = new RecordView();
            v.id = r.id();
            v.category = r.category();
            v.subject = r.subject();
            v.payload = r.payload();
            v.scope = r.scope();
            v.labels = r.labels();
            v.version = r.version();
            v.createdAt = r.createdAt();
            v.createdBy = r.createdBy();
            v.updatedAt = r.updatedAt();
            v.updatedBy = r.updatedBy();
            return v;
        }
    }

    /** A page. */
    @Schema(name = "RecordPage", description = "One page of records, newest change first")
    public static final class PageView {
        /** Records. */
        public List<RecordView> items;
        /** Cursor. */
        @Schema(description = "Pass as 'after' for the next page; absent on the last")
        public String next;
    }

    /** A trash item. */
    @Schema(name = "TrashItem", description = "A deleted record in the trash: metadata only")
    public static final class TrashView {
        /** Record. */
        public String recordId;
        /** Category. */
        public String category;
        /** Subject. */
        public String subject;
        /** Version. */
        public long version;
        /** Deleted. */
        public Instant deletedAt;
        /** Deleter. */
        public String deletedBy;
        /** Purge. */
        @Schema(description = "When the automatic purge removes it for good")
        public Instant purgeAfter;

        static TrashView of(TrashItem t) {
            TrashView v = new TrashView();
            v.recordId = t.recordId();
            v.category = t.category();
            v.subject = t.subject();
            v.version = t.version();
            v.deletedAt = t.deletedAt();
            v.deletedBy = t.deletedBy();
            v.purgeAfter = t.purgeAfter();
            return v;
        }
    }

    /** Purge counts. */
    @Schema(name = "PurgeResult", description = "How many records were purged for good")
    public static final class PurgedView {
        /** Count. */
        public int purged;
    }

    /** Counts. */
    @Schema(name = "CategoryCount", description = "Records of a category: live and in the trash (metadata only)")
    public static final class CountView {
        /** Category. */
        public String category;
        /** Live. */
        public long live;
        /** Trash. */
        public long trashed;

        static CountView of(CategoryCount c) {
            CountView v = new CountView();
            v.category = c.category();
            v.live = c.live();
            v.trashed = c.trashed();
            return v;
        }
    }
}
