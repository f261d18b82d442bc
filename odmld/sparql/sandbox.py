"""What a process that runs public query text may not do: open a network connection, grow past a
memory ceiling, or take CPU from the processes that serve pages.

pyoxigraph runs SERVICE clauses over HTTP, so a query process that could open sockets could be made to
connect wherever a query names (SSRF). `forbid_network()` installs a seccomp filter (libseccomp, through
the `pyseccomp` ctypes binding) that makes the kernel refuse, for this process, every thread and every
process it starts:

- `socket()` for every address family, AF_UNIX included (the process needs no new socket: its pipe to
  the parent exists before the filter; a Unix socket could reach a local daemon that connects for it);
  `socketpair()` except for AF_UNIX; `connect`, `bind`, `listen`, `accept`, `accept4`, `sendmsg`,
  `sendmmsg`, and `sendto` with an address, should a socket reach it some other way;
- io_uring (`io_uring_setup`, `io_uring_enter`, `io_uring_register`), which opens and connects sockets
  without those system calls;
- reaching into another process, which may hold sockets: `ptrace`, `process_vm_readv`,
  `process_vm_writev`, `pidfd_getfd`;
- every system call of another architecture (an x86-64 process can make 32-bit calls, where sockets
  go through `socketcall`; and the x32 ABI): the process is killed.

It then checks that the filter holds (a TCP socket must be refused) before saying it is installed.
"""

from __future__ import annotations

import errno
import os
import resource
import socket

REFUSED_SYSCALLS = ("connect", "bind", "listen", "accept", "accept4", "sendmsg", "sendmmsg",
                    "ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd")
NOT_THERE_SYSCALLS = ("io_uring_setup", "io_uring_enter", "io_uring_register")


class SandboxUnavailable(Exception):
    """The restriction cannot be installed here; the message says why, in words an operator can act on."""


def forbid_network() -> None:
    """Make this process (and every thread and child it has or will have) unable to open a network
    connection, or raise SandboxUnavailable."""
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError, OSError) as error:  # RuntimeError: libseccomp not found
        raise SandboxUnavailable(f"libseccomp cannot be loaded ({error}); on Debian or Ubuntu: "
                                 "apt-get install libseccomp2") from None
    try:
        rules = seccomp.SyscallFilter(seccomp.ALLOW)
        rules.set_attr(seccomp.Attr.ACT_BADARCH, seccomp.KILL_PROCESS)
        rules.set_attr(seccomp.Attr.CTL_TSYNC, 1)  # every thread, not only this one
        refused = seccomp.ERRNO(errno.EACCES)
        rules.add_rule(refused, "socket")
        rules.add_rule(seccomp.ERRNO(errno.EAFNOSUPPORT), "socketpair",
                       seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
        rules.add_rule(refused, "sendto", seccomp.Arg(4, seccomp.NE, 0))
        for name in REFUSED_SYSCALLS:
            rules.add_rule(refused, name)
        for name in NOT_THERE_SYSCALLS:
            rules.add_rule(seccomp.ERRNO(errno.ENOSYS), name)
        rules.load()
    except (OSError, RuntimeError, ValueError) as error:
        raise SandboxUnavailable(f"the kernel refused the seccomp filter ({error}); a Linux kernel with "
                                 "seccomp (3.17 or newer) is needed") from None
    _check_no_network()


def _check_no_network() -> None:
    """The filter must hold: a TCP socket is refused."""
    try:
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return
    probe.close()
    raise SandboxUnavailable("the seccomp filter was loaded but a TCP socket could still be opened")


def is_confined() -> bool:
    """Whether this process runs under a seccomp filter (the kernel's word, from /proc)."""
    try:
        with open(f"/proc/{os.getpid()}/status", encoding="ascii") as status:
            return any(line.split() == ["Seccomp:", "2"] for line in status)
    except OSError:
        return False


def limit_memory(megabytes: int) -> None:
    """A ceiling on this process's data (heap and anonymous mappings): past it an allocation fails.

    RLIMIT_DATA rather than RLIMIT_AS: the address space of a process with RocksDB and a dozen
    threads holds reservations (thread stacks, allocator arenas, mapped files) many times what it
    uses, so a ceiling on it would either be far above the real use or fail at rest.
    """
    ceiling = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))


def lower_priority(niceness: int) -> None:
    """Run at a lower CPU priority (a higher nice value) than the serving processes, so that page
    rendering and the hop to and from a query keep their share while queries run."""
    if niceness > 0:
        os.nice(niceness)
