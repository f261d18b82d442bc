"""The pipe to a query process (sparql/channel.py): every message arrives whole and in order, whatever
the reads bring, a closed end is an EOFError, as the pool expects of a worker that died, and a message
is read as plain data only: one that names something to call runs nothing."""

import os
import pickle
import socket
import threading

import pytest

from odmld.sparql.channel import _LENGTH, READ_SIZE, Channel


@pytest.fixture
def ends():
    left, right = socket.socketpair()
    yield Channel(left), Channel(right)
    left.close()
    right.close()


def test_two_messages_sent_at_once_are_read_one_at_a_time(ends):
    parent, child = ends
    child.send(("opened",))
    child.send(("ok", "application/sparql-results+json", b"{}", 0.001))
    assert parent.receive(5) == ("opened",)  # one read brought both; the second waits in the buffer
    assert parent.receive(0.01) == ("ok", "application/sparql-results+json", b"{}", 0.001)
    assert parent.receive(0.01) is None


def test_an_answer_larger_than_many_reads_arrives_whole(ends):
    parent, child = ends
    body = bytes(range(256)) * (40 * READ_SIZE // 256 + 7)
    sender = threading.Thread(target=child.send, args=(("ok", "text/csv", body, 0.5),))
    sender.start()
    assert parent.receive(5) == ("ok", "text/csv", body, 0.5)
    sender.join()


def test_nothing_within_the_time_is_none_and_a_closed_end_is_eof(ends):
    parent, child = ends
    assert parent.receive(0.05) is None
    child.keep.close()
    with pytest.raises(EOFError):
        parent.receive(1)


CALLED = []


def called() -> None:
    CALLED.append("called")


class Subverted:
    """What a subverted query process could pickle: loading it calls `called`."""

    def __reduce__(self):
        return called, ()


def test_a_message_that_names_a_function_runs_nothing_and_ends_the_channel(ends):
    parent, child = ends
    payload = pickle.dumps(("ok", "text/csv", Subverted(), 0.1))
    os.write(child.fd, _LENGTH.pack(len(payload)) + payload)
    with pytest.raises(EOFError):
        parent.receive(5)
    assert CALLED == []
    assert pickle.loads(payload) and CALLED == ["called"]  # what pickle.loads, as before, would have done


@pytest.mark.parametrize("protocol", [0, pickle.HIGHEST_PROTOCOL])
def test_a_large_message_that_names_a_function_runs_nothing_either(ends, protocol):
    """A large message is read into a buffer of its own and unpickled from there: the same refusal,
    in the binary protocol and in the text one (whose lines that reader does not read)."""
    parent, child = ends
    CALLED.clear()
    payload = pickle.dumps(("ok", "text/csv", b"x" * (4 * READ_SIZE), Subverted(), 0.1), protocol=protocol)
    sender = threading.Thread(target=os.write, args=(child.fd, _LENGTH.pack(len(payload)) + payload))
    sender.start()
    with pytest.raises(EOFError):
        parent.receive(5)
    sender.join()
    assert CALLED == []


def test_messages_after_a_large_one_arrive_whole_and_in_order(ends):
    parent, child = ends
    body = bytes(range(256)) * (8 * READ_SIZE // 256 + 3)

    def send_three():
        child.send(("opened",))
        child.send(("ok", "text/csv", body, 0.5))
        child.send(("ok", "text/csv", b"a,b\n", 0.1))

    sender = threading.Thread(target=send_three)
    sender.start()
    assert parent.receive(5) == ("opened",)
    assert parent.receive(5) == ("ok", "text/csv", body, 0.5)
    assert parent.receive(5) == ("ok", "text/csv", b"a,b\n", 0.1)
    sender.join()


def test_a_message_longer_than_an_answer_may_be_ends_the_channel_before_it_is_read():
    """A subverted query process could say a message holds 2**60 bytes: the server's end stops there
    (the pool's ends take no message longer than the answer limit allows), it does not wait for or
    make room for them."""
    left, right = socket.socketpair()
    parent, child = Channel(left, longest=1_000_000), Channel(right)
    try:
        os.write(child.fd, _LENGTH.pack(2**60) + b"\x80\x05")
        outcome = []

        def receive():
            try:
                parent.receive(5)
            except EOFError as error:
                outcome.append(str(error))

        reader = threading.Thread(target=receive, daemon=True)
        reader.start()
        reader.join(3)
        assert outcome and "more than 1000000" in outcome[0]
        sender = threading.Thread(target=child.send, args=(("ok", "text/csv", b"x" * 999_000, 0.1),))
        sender.start()  # within the bound: read whole (larger than the socket's buffer, so sent beside)
        fresh = Channel(left, longest=1_000_000)
        assert fresh.receive(5)[2] == b"x" * 999_000
        sender.join(5)
    finally:
        left.close()
        right.close()
