package dev.mamori.records;

import java.time.Instant;

/**
 * An import accepted: it runs as the job {@code jobId} (progress, result and the rejected-rows
 * report through the job service: {@code GET /api/v1/jobs/{id}}, artifact {@code rejected.csv}).
 *
 * @param jobId     the job
 * @param category  the category
 * @param format    csv or jsonl
 * @param size      bytes uploaded
 * @param createdAt when it was accepted
 */
public record RecordImport(String jobId, String category, String format, long size, Instant createdAt) {
}
