package dev.mamori.itests;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS client that trusts exactly the certificate the server generated at first start
 * (and nothing else), so the tests also prove that certificate is the one being served.
 */
public final class Https {
    private final HttpClient client;
    private final String base;

    private Https(HttpClient client, String base) {
        this.client = client;
        this.base = base;
    }

    /**
     * @param keystore the server's PKCS#12 keystore
     * @param password its password
     * @param base     e.g. https://localhost:8443
     */
    public static Https trusting(Path keystore, char[] password, String base) throws Exception {
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            server.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Certificate cert = server.getCertificate(server.aliases().nextElement());
        trust.setCertificateEntry("mamori", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ctx).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        return new Https(client, base);
    }

    /** @return the base URL, e.g. https://localhost:8443 */
    public String base() {
        return base;
    }

    /** @return the SSL context trusting the server */
    public SSLContext sslContext() {
        return client.sslContext();
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public HttpResponse<String> post(String path, String contentType, HttpRequest.BodyPublisher body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", contentType).POST(body));
    }

    /** @return the answer's body as bytes (downloads) */
    public HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
