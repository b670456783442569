/*
 * pcap_floor: the fastest a libpcap-based reader can go on this machine.
 *
 * It opens a capture with pcap_open_offline, walks it with pcap_next_ex and does the least work that still
 * touches every packet: it sums the captured lengths and XORs the last captured byte of each packet into a
 * checksum that is printed, so the compiler cannot drop the loop. Any reader built on libpcap pays at least
 * this, so replay throughput is reported as a ratio to it.
 *
 * Build: cc -O2 -o pcap_floor pcap_floor.c -lpcap      (Debian: libpcap0.8-dev)
 * Usage: pcap_floor FILE
 * Prints one JSON line: packets, captured bytes, seconds (monotonic clock, open to close), packets per second.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

static double now_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 2;
    }

    char error[PCAP_ERRBUF_SIZE];
    double start = now_seconds();
    pcap_t *capture = pcap_open_offline(argv[1], error);
    if (capture == NULL) {
        fprintf(stderr, "pcap_floor: %s\n", error);
        return 1;
    }

    struct pcap_pkthdr *header;
    const u_char *data;
    unsigned long long packets = 0, bytes = 0;
    unsigned char check = 0;
    int rc;
    while ((rc = pcap_next_ex(capture, &header, &data)) == 1) {
        packets++;
        bytes += header->caplen;
        if (header->caplen > 0)
            check ^= data[header->caplen - 1];
    }
    if (rc == PCAP_ERROR) {
        fprintf(stderr, "pcap_floor: %s\n", pcap_geterr(capture));
        pcap_close(capture);
        return 1;
    }
    pcap_close(capture);
    double seconds = now_seconds() - start;

    printf("{\"packets\":%llu,\"captured_bytes\":%llu,\"seconds\":%.6f,\"packets_per_second\":%.0f,\"check\":%u}\n",
           packets, bytes, seconds, seconds > 0 ? (double)packets / seconds : 0.0, (unsigned)check);
    return 0;
}
