package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AUD-3 groundwork (issue #16): C2SP tlog-checkpoint and signed notes, verified with the JDK alone")
class CheckpointTest {
    /** golang.org/x/mod/sumdb/note, note_test.go: the PeterNeumann key and its signed text. */
    private static final String GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private static final String GO_TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private static final String GO_NOTE = GO_TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    @Test
    @DisplayName("the Go checksum database's own signed note opens with its verifier key; a changed byte, another key or no signature does not")
    void goNote() {
        assertEquals(Optional.of(GO_TEXT), SignedNote.open(GO_NOTE, GO_VERIFIER));
        assertEquals(Optional.empty(), SignedNote.open(GO_NOTE.replace("cryptography", "cryptographx"), GO_VERIFIER));
        assertEquals(Optional.empty(), SignedNote.open(GO_NOTE, GO_VERIFIER.replace("PeterNeumann", "PeterNeumanm")));
        assertEquals(Optional.empty(), SignedNote.open(GO_TEXT, GO_VERIFIER));
        assertEquals(Optional.empty(), SignedNote.open(GO_NOTE.replace("x08go", "x08gp"), GO_VERIFIER));
        // another signer's line beside it changes nothing
        assertEquals(Optional.of(GO_TEXT), SignedNote.open(GO_NOTE + "\u2014 Other AAAAAA==\n", GO_VERIFIER));
    }

    @Test
    @DisplayName("a checkpoint's text is exactly origin, decimal size and base64 head; nothing else parses")
    void strictForm() {
        byte[] root = MerkleTree.root(List.of(MerkleTree.leafHash(new byte[0])));
        Checkpoint c = Checkpoint.of("mamori.example/audit/t-1", 1, root);
        assertEquals("mamori.example/audit/t-1\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", c.body());
        assertEquals(c, Checkpoint.parse(c.body()));
        for (String bad : List.of("o\n01\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",
                "o\n-1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", "o\n1\nbjQL\n", "\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",
                "o\n1\nbjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n", "o\n1\n")) {
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse(bad), bad);
        }
    }

    @Test
    @DisplayName("a tenant keeps a signed checkpoint of size 6; later, a checkpoint of size 8 and a consistency proof show nothing before was rewritten")
    void keptCheckpointProvesHistory() throws Exception {
        KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = kp.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        String name = "mamori.example/audit/t-1";
        int hash = SignedNote.keyHash(name, raw);
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(raw, 0, typed, 1, 32);
        String verifier = name + "+" + String.format("%08x", hash) + "+" + Base64.getEncoder().encodeToString(typed);

        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            leaves.add(MerkleTree.leafHash(("{\"index\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }
        String kept = sign(kp, name, hash, Checkpoint.of(name, 6, MerkleTree.root(leaves.subList(0, 6))));
        String later = sign(kp, name, hash, Checkpoint.of(name, 8, MerkleTree.root(leaves)));
        Checkpoint first = Checkpoint.parse(SignedNote.open(kept, verifier).orElseThrow());
        Checkpoint second = Checkpoint.parse(SignedNote.open(later, verifier).orElseThrow());
        assertTrue(MerkleTree.verifyConsistency(first.size(), second.size(), MerkleTree.consistencyProof(leaves, 6), first.root(),
                second.root()));
        assertTrue(MerkleTree.verifyInclusion(3, second.size(), leaves.get(3), MerkleTree.inclusionProof(leaves, 3), second.root()));
        // the operator rewrites entry 2 and re-signs a new head: the tenant's kept checkpoint exposes it
        List<byte[]> rewritten = new ArrayList<>(leaves);
        rewritten.set(2, MerkleTree.leafHash("{\"index\":2,\"edited\":true}".getBytes(StandardCharsets.UTF_8)));
        Checkpoint forged = Checkpoint.parse(SignedNote.open(sign(kp, name, hash, Checkpoint.of(name, 8, MerkleTree.root(rewritten))),
                verifier).orElseThrow());
        assertTrue(!MerkleTree.verifyConsistency(6, 8, MerkleTree.consistencyProof(rewritten, 6), first.root(), forged.root()));
        assertArrayEquals(first.root(), MerkleTree.root(leaves.subList(0, 6)));
    }

    @Test
    @DisplayName("a verifier key whose base64 holds '+' (about every other key) still opens its notes")
    void plusInTheKey() throws Exception {
        int tried = 0;
        int withPlus = 0;
        while (withPlus < 3 && tried++ < 200) {
            KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = kp.getPublic().getEncoded();
            byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
            byte[] typed = new byte[33];
            typed[0] = 1;
            System.arraycopy(raw, 0, typed, 1, 32);
            String key64 = Base64.getEncoder().encodeToString(typed);
            if (key64.indexOf('+') < 0) {
                continue;
            }
            withPlus++;
            int hash = SignedNote.keyHash("log", raw);
            String note = sign(kp, "log", hash, Checkpoint.of("log", 1, MerkleTree.leafHash(new byte[0])));
            assertTrue(SignedNote.open(note, "log+" + String.format("%08x", hash) + "+" + key64).isPresent(), key64);
        }
        assertEquals(3, withPlus);
    }

    private static String sign(KeyPair kp, String name, int hash, Checkpoint c) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(kp.getPrivate());
        s.update(c.body().getBytes(StandardCharsets.UTF_8));
        return SignedNote.format(c.body(), name, hash, s.sign());
    }
}
