// SPDX-License-Identifier: GPL-2.0
/*
 * rx-stop VIF MAC BACKEND-DEVICE: one trial of "a backend that goes away
 * tells a live guest of what it delivered and still owed".
 *
 * With the vif's deliveries deferred (tx-usecs U), a child unbinds the
 * backend device from netback (BACKEND-DEVICE, e.g. vif-3-0) while the
 * trial writes a frame into the vif every millisecond (AF_PACKET; its IP
 * header checksum is wrong, so the guest drops it and nothing answers)
 * until the unbind has returned. Netback disconnects the queue while the
 * guest is still connected and, with frames arriving all the while, some
 * delivered since the last deadline: the event owed for them can only
 * come from the point's stop. Unbinding takes far longer than any
 * deadline under emulation, which is why the frames keep coming until it
 * is done. The caller then reads the guest's RX ring: responses the guest
 * never consumed were stranded.
 *
 * Prints how many frames went before and during the unbind. Exits 0, or
 * 1 with the failing call.
 */
#include <fcntl.h>
#include <sys/wait.h>

#include "vif-probe.h"

static int unbind_backend(const char *dev)
{
	const char *file = "/sys/bus/xen-backend/drivers/vif/unbind";
	int fd = open(file, O_WRONLY);
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "rx-stop: %s: %s\n", file, strerror(errno));
		return 1;
	}
	n = write(fd, dev, strlen(dev));
	if (n != (ssize_t)strlen(dev))
		fprintf(stderr, "rx-stop: unbind %s: %s\n", dev, strerror(errno));
	close(fd);
	return n == (ssize_t)strlen(dev) ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned char dst[6];
	int fd, status, before = 0, during = 0, refused = 0;
	double start, unbinding;
	pid_t child;

	vif_probe_name = "rx-stop";
	if (argc != 4 || parse_mac(argv[2], dst)) {
		fprintf(stderr, "usage: rx-stop VIF MAC BACKEND-DEVICE\n");
		return 1;
	}
	fd = vif_socket(argv[1]);
	if (fd < 0)
		return 1;
	/* The stream flows for 100 ms before the unbind begins. */
	start = now_us();
	if (send_frame(fd, dst, 128) < 0)
		return 1;
	for (before = 1; now_us() < start + 100000; before++) {
		usleep(500);
		if (send(fd, frame, 128, MSG_DONTWAIT) != 128)
			refused++;
	}
	unbinding = now_us();
	child = fork();
	if (child < 0) {
		perror("rx-stop: fork");
		return 1;
	}
	if (!child)
		_exit(unbind_backend(argv[3]));
	/* Until the unbind returns; the vif refuses frames once it is going. */
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (send(fd, frame, 128, MSG_DONTWAIT) == 128)
			during++;
		else
			refused++;
		usleep(500);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return 1;
	printf("sent %d in %.0f ms, %d in the %.0f ms of the unbind, %d refused\n",
	       before, (unbinding - start) / 1000, during,
	       (now_us() - unbinding) / 1000, refused);
	return 0;
}
