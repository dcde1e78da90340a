package dev.mamori.audit.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("AUD-3 groundwork (issue #16): a log's frontier gives the same heads as the whole tree, and resumes from its peaks")
class MerkleFrontierTest {
    @Test
    @DisplayName("appending 1,100 leaves: the head at every size equals the RFC 9162 head of all leaves so far")
    void headsAtEverySize() {
        MerkleFrontier f = MerkleFrontier.empty();
        List<byte[]> leaves = new ArrayList<>();
        assertArrayEquals(MerkleTree.root(leaves), f.root());
        for (int i = 0; i < 1100; i++) {
            byte[] leaf = MerkleTree.leafHash(("entry " + i).getBytes());
            leaves.add(leaf);
            assertEquals(i + 1, f.append(leaf));
            assertArrayEquals(MerkleTree.root(leaves), f.root(), "size " + (i + 1));
            assertEquals(Long.bitCount(i + 1), f.peaks().size());
        }
    }

    @Test
    @DisplayName("the reference tree of 8: one peak, the reference head; resumed from stored peaks it goes on as if never stopped")
    void referenceAndResume() {
        MerkleFrontier f = MerkleFrontier.empty();
        List<byte[]> leaves = new ArrayList<>();
        for (String hex : List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f")) {
            byte[] leaf = MerkleTree.leafHash(HexFormat.of().parseHex(hex));
            leaves.add(leaf);
            f.append(leaf);
        }
        assertEquals(1, f.peaks().size());
        assertEquals("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", HexFormat.of().formatHex(f.root()));
        MerkleFrontier a = MerkleFrontier.empty();
        for (int i = 0; i < 5; i++) {
            a.append(leaves.get(i));
        }
        MerkleFrontier resumed = MerkleFrontier.of(a.size(), a.peaks());
        for (int i = 5; i < 8; i++) {
            resumed.append(leaves.get(i));
        }
        assertArrayEquals(f.root(), resumed.root());
        assertThrows(IllegalArgumentException.class, () -> MerkleFrontier.of(5, List.of(f.root())), "5 = 101b has two peaks");
        assertThrows(IllegalArgumentException.class, () -> MerkleFrontier.of(1, List.of(new byte[31])));
    }
}
