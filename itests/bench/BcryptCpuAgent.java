package com.sun.mamoribench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import jdk.internal.org.objectweb.asm.ClassReader;
import jdk.internal.org.objectweb.asm.ClassVisitor;
import jdk.internal.org.objectweb.asm.ClassWriter;
import jdk.internal.org.objectweb.asm.MethodVisitor;
import jdk.internal.org.objectweb.asm.Opcodes;

/**
 * Benchmark-only Java agent (itests/bench/keycloak.sh): times every bcrypt computation of the
 * server it is loaded into, in CPU time of the thread that runs it, so that the benchmark can
 * subtract exactly the hash from the server's CPU per sign-in instead of an estimate made in
 * another JVM. Nothing of the product changes; the agent is only ever given to a benchmark's server.
 *
 * <p>Bouncy Castle's {@code OpenBSDBCrypt.doGenerate} (every check and every new hash goes through
 * it once) is renamed and replaced by a wrapper that reads the thread's CPU clock around it and adds
 * the difference to {@link #CPU_NS}. The class lives in {@code com.sun.*}, which Karaf's
 * {@code org.osgi.framework.bootdelegation} hands to the boot class loader, and the agent jar is on
 * the boot class path ({@code Boot-Class-Path}), so the wrapper in Bouncy Castle's bundle sees it.
 * The transformation uses the JDK's own copy of ASM (JDK 17 to 22; the script checks the version).
 *
 * <p>{@code -javaagent:agent.jar=FILE}: the agent listens on a free loopback port and writes it to
 * FILE; each connection gets one line {@code calls cpu_ns} and is closed, so that reading the
 * counters costs the server nothing between two reads.
 */
public final class BcryptCpuAgent {
    static final AtomicLong CALLS = new AtomicLong();
    static final AtomicLong CPU_NS = new AtomicLong();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String TARGET = "org/bouncycastle/crypto/generators/OpenBSDBCrypt";
    private static final String METHOD = "doGenerate";
    private static final String DESC = "(Ljava/lang/String;[B[BI)Ljava/lang/String;";

    private BcryptCpuAgent() {
    }

    /**
     * Called by the wrapper before the hash.
     *
     * @return the thread's CPU time, ns
     */
    public static long start() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * Called by the wrapper after the hash.
     *
     * @param t0 what {@link #start()} returned
     */
    public static void end(long t0) {
        CPU_NS.addAndGet(THREADS.getCurrentThreadCpuTime() - t0);
        CALLS.incrementAndGet();
    }

    public static void premain(String args, Instrumentation inst) throws IOException {
        if (!THREADS.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported by this JVM");
        }
        // the JDK's ASM is internal to java.base: open it to this agent only
        Module base = Object.class.getModule();
        inst.redefineModule(base, Set.of(), Map.of("jdk.internal.org.objectweb.asm", Set.of(BcryptCpuAgent.class.getModule())),
                Map.of(), Set.of(), Map.of());
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
                if (!TARGET.equals(name)) {
                    return null;
                }
                try {
                    return Wrap.wrap(bytes);
                } catch (Throwable e) {
                    // a transformer's exception is swallowed by the JVM: say it, the benchmark then fails on 0 calls
                    e.printStackTrace();
                    return null;
                }
            }
        });
        ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Files.writeString(Path.of(args), Integer.toString(server.getLocalPort()));
        Thread t = new Thread(() -> {
            while (true) {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write((CALLS.get() + " " + CPU_NS.get() + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // a reader that went away: next one
                }
            }
        }, "bench-bcrypt-cpu");
        t.setDaemon(true);
        t.start();
    }

    /** The rewrite, in its own class so that nothing touches ASM before the module is opened. */
    static final class Wrap {
        private Wrap() {
        }

        static byte[] wrap(byte[] bytes) {
            ClassReader reader = new ClassReader(bytes);
            // only maxima to compute: the wrapper has no branch, so it needs no stack map frame
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            boolean[] found = {false};
            reader.accept(new ClassVisitor(Opcodes.ASM8, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                    if (METHOD.equals(name) && DESC.equals(desc)) {
                        found[0] = true;
                        return super.visitMethod(access, METHOD + "$timed", desc, signature, exceptions);
                    }
                    return super.visitMethod(access, name, desc, signature, exceptions);
                }

                @Override
                public void visitEnd() {
                    if (!found[0]) {
                        throw new IllegalStateException(TARGET + "." + METHOD + DESC + " not found");
                    }
                    // static String doGenerate(String v, byte[] p, byte[] s, int c) {
                    //     long t0 = start(); String r = doGenerate$timed(v, p, s, c); end(t0); return r; }
                    // (a hash that throws is not counted: it is a bad input, not a sign-in)
                    String agent = BcryptCpuAgent.class.getName().replace('.', '/');
                    MethodVisitor m = super.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, METHOD, DESC, null, null);
                    m.visitCode();
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, agent, "start", "()J", false);
                    m.visitVarInsn(Opcodes.LSTORE, 4);
                    m.visitVarInsn(Opcodes.ALOAD, 0);
                    m.visitVarInsn(Opcodes.ALOAD, 1);
                    m.visitVarInsn(Opcodes.ALOAD, 2);
                    m.visitVarInsn(Opcodes.ILOAD, 3);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, METHOD + "$timed", DESC, false);
                    m.visitVarInsn(Opcodes.ASTORE, 6);
                    m.visitVarInsn(Opcodes.LLOAD, 4);
                    m.visitMethodInsn(Opcodes.INVOKESTATIC, agent, "end", "(J)V", false);
                    m.visitVarInsn(Opcodes.ALOAD, 6);
                    m.visitInsn(Opcodes.ARETURN);
                    m.visitMaxs(0, 0);
                    m.visitEnd();
                    super.visitEnd();
                }
            }, 0);
            return writer.toByteArray();
        }
    }
}
