package dev.mamori.auth;

/**
 * A started TOTP enrolment, to be confirmed with a first code (IAM-11).
 *
 * @param secret base32 secret, for typing into an app by hand
 * @param uri    {@code otpauth://totp/...} URI
 * @param qrPng  the URI as a QR code, PNG
 */
public record MfaEnrolment(String secret, String uri, byte[] qrPng) {
    @Override
    public String toString() {
        return "MfaEnrolment[***]";
    }
}
