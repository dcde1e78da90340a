package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AUD-3 groundwork (issue #16): RFC 9162 Merkle tree heads, inclusion and consistency proofs")
class MerkleTreeTest {
    private static final HexFormat HEX = HexFormat.of();
    /** The certificate-transparency reference leaves (RFC 6962 test data). */
    private static final List<byte[]> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f").stream().map(HEX::parseHex).collect(Collectors.toList());

    private static List<byte[]> hashes(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(MerkleTree.leafHash(i < LEAVES.size() ? LEAVES.get(i) : ("entry " + i).getBytes()));
        }
        return out;
    }

    private static List<String> hex(List<byte[]> proof) {
        return proof.stream().map(HEX::formatHex).collect(Collectors.toList());
    }

    @Test
    @DisplayName("tree heads of the reference leaves, sizes 0 to 8 (also computed outside Java from the RFC)")
    void referenceRoots() {
        List<String> expected = List.of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        for (int n = 0; n <= 8; n++) {
            assertEquals(expected.get(n), HEX.formatHex(MerkleTree.root(hashes(n))), "size " + n);
        }
    }

    @Test
    @DisplayName("reference inclusion and consistency proofs")
    void referenceProofs() {
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(MerkleTree.inclusionProof(hashes(8), 0)));
        assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(MerkleTree.inclusionProof(hashes(8), 5)));
        assertEquals(List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
                hex(MerkleTree.inclusionProof(hashes(3), 2)));
        assertEquals(List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(MerkleTree.consistencyProof(hashes(8), 6)));
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"), hex(MerkleTree.consistencyProof(hashes(5), 2)));
    }

    @Test
    @DisplayName("every leaf of every tree up to 70 verifies; a wrong leaf, index, path or a truncated path does not")
    void inclusionRoundTrip() {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> h = hashes(n);
            byte[] root = MerkleTree.root(h);
            for (int m = 0; m < n; m++) {
                List<byte[]> proof = MerkleTree.inclusionProof(h, m);
                assertTrue(MerkleTree.verifyInclusion(m, n, h.get(m), proof, root), m + " in " + n);
                assertFalse(MerkleTree.verifyInclusion(m, n, MerkleTree.leafHash("edited".getBytes()), proof, root));
                if (n > 1) {
                    assertFalse(MerkleTree.verifyInclusion((m + 1) % n, n, h.get(m), proof, root), "moved " + m + " in " + n);
                }
                // (a size stated wrongly with the same root can verify: a checkpoint signs size and root together)
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] flipped = bad.get(0).clone();
                    flipped[0] ^= 1;
                    bad.set(0, flipped);
                    assertFalse(MerkleTree.verifyInclusion(m, n, h.get(m), bad, root));
                    assertFalse(MerkleTree.verifyInclusion(m, n, h.get(m), proof.subList(1, proof.size()), root), "truncated path");
                }
            }
            assertFalse(MerkleTree.verifyInclusion(n, n, h.get(0), List.of(), root), "index past the end");
        }
    }

    @Test
    @DisplayName("every earlier tree is consistent with every later one up to 70; a rewritten early entry or a wrong size is not")
    void consistencyRoundTrip() {
        for (int n = 1; n <= 70; n++) {
            List<byte[]> h = hashes(n);
            byte[] second = MerkleTree.root(h);
            for (int m = 1; m <= n; m++) {
                byte[] first = MerkleTree.root(h.subList(0, m));
                List<byte[]> proof = MerkleTree.consistencyProof(h, m);
                assertTrue(MerkleTree.verifyConsistency(m, n, proof, first, second), m + " -> " + n);
                // history rewritten before the checkpoint the verifier kept
                List<byte[]> rewritten = new ArrayList<>(h);
                rewritten.set(0, MerkleTree.leafHash("rewritten".getBytes()));
                assertFalse(MerkleTree.verifyConsistency(m, n, MerkleTree.consistencyProof(rewritten, m), first,
                        MerkleTree.root(rewritten)), "rewritten " + m + " -> " + n);
                if (m < n) {
                    assertFalse(MerkleTree.verifyConsistency(m, n, proof, second, first), "roots swapped");
                    assertFalse(MerkleTree.verifyConsistency(m, n, proof.subList(0, proof.size() - 1), first, second), "truncated");
                }
            }
        }
        assertFalse(MerkleTree.verifyConsistency(3, 2, List.of(), MerkleTree.root(hashes(3)), MerkleTree.root(hashes(2))));
        assertFalse(MerkleTree.verifyConsistency(0, 2, List.of(), MerkleTree.root(hashes(0)), MerkleTree.root(hashes(2))));
    }
}
