// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's half of the coalescing protocol (Documentation/protocol.rst):
 * feature-coalesce and the coalesce/ keys the frontend follows. What the
 * frontend writes is untrusted and only ever read as a flag here. That flag
 * chooses class C's completion deadline for this guest's vif between two
 * values dom0 set (the ceiling or 100 us): never a number of the guest's.
 */
/* First: common.h sets pr_fmt before anything includes printk.h. */
#include "common.h"

#include <linux/mutex.h>
#include <linux/slab.h>
#include <xen/xenbus.h>

/* Serialises changes of the frontend's values and their publication. */
DEFINE_MUTEX(xenvif_coalesce_frontend_lock);

/**
 * xenvif_coalesce_advertise - offer the frontend our coalesce/ keys
 * @dev: the backend's xenbus device
 */
void xenvif_coalesce_advertise(struct xenbus_device *dev)
{
	if (xenbus_write(XBT_NIL, dev->nodename, "feature-coalesce", "1"))
		pr_debug("Error writing feature-coalesce\n");
}

/**
 * xenvif_coalesce_retract - withdraw the feature and the keys
 * @dev: the backend's xenbus device, going away
 */
void xenvif_coalesce_retract(struct xenbus_device *dev)
{
	xenbus_rm(XBT_NIL, dev->nodename, "feature-coalesce");
	xenbus_rm(XBT_NIL, dev->nodename, "coalesce");
}

/**
 * xenvif_coalesce_publish - write the frontend's four keys
 * @dev: the backend's xenbus device
 * @tx: the frontend's TX values
 * @rx: the frontend's RX values
 *
 * One transaction: the frontend sees all four or none.
 *
 * Return: 0 or the xenstore error.
 */
int xenvif_coalesce_publish(struct xenbus_device *dev,
			    const struct xcoal_params *tx,
			    const struct xcoal_params *rx)
{
	const struct {
		const char *key;
		u32 val;
	} keys[] = {
		{ "coalesce/tx-usecs", tx->usecs },
		{ "coalesce/tx-frames", tx->frames },
		{ "coalesce/rx-usecs", rx->usecs },
		{ "coalesce/rx-frames", rx->frames },
	};
	struct xenbus_transaction xbt;
	unsigned int i;
	int err;

	do {
		err = xenbus_transaction_start(&xbt);
		if (err)
			return err;
		for (i = 0; i < ARRAY_SIZE(keys) && !err; i++)
			err = xenbus_printf(xbt, dev->nodename, keys[i].key, "%u",
					    keys[i].val);
		if (err) {
			xenbus_transaction_end(xbt, 1);
			return err;
		}
		err = xenbus_transaction_end(xbt, 0);
	} while (err == -EAGAIN);
	return err;
}

/* Where @field lives in a pair of frontend parameters. */
static u32 *xenvif_frontend_value(struct xcoal_params *tx, struct xcoal_params *rx,
				  enum xenvif_coalesce_frontend_field field)
{
	switch (field) {
	case XENVIF_FRONTEND_TX_USECS:
		return &tx->usecs;
	case XENVIF_FRONTEND_TX_FRAMES:
		return &tx->frames;
	case XENVIF_FRONTEND_RX_USECS:
		return &rx->usecs;
	default:
		return &rx->frames;
	}
}

/**
 * xenvif_coalesce_set_frontend - change one of the frontend's values and
 *	publish them
 * @vif: the VIF
 * @dev: its backend xenbus device
 * @field: which value (enum xenvif_coalesce_frontend_field)
 * @val: the new value
 *
 * Return: 0; -EINVAL, logged with the reason, when the frontend's
 * parameters would not pass the check ethtool applies; -EBUSY while a
 * latency class decides them; or the xenstore error. The values are
 * unchanged on any error.
 */
int xenvif_coalesce_set_frontend(struct xenvif *vif, struct xenbus_device *dev,
				 enum xenvif_coalesce_frontend_field field, u32 val)
{
	struct xenvif_coalesce_cfg *cfg = &vif->coal_cfg;
	struct xcoal_params tx, rx;
	const char *why;
	int err;

	mutex_lock(&xenvif_coalesce_frontend_lock);
	if (cfg->class != XCOAL_CLASS_NONE) {
		netdev_info(vif->dev, "frontend coalesce refused: class %s decides it\n",
			    xcoal_class_name(cfg->class));
		err = -EBUSY;
		goto out;
	}
	tx = cfg->frontend_tx;
	rx = cfg->frontend_rx;
	*xenvif_frontend_value(&tx, &rx, field) = val;
	err = xcoal_params_check(&tx, &why);
	if (!err)
		err = xcoal_params_check(&rx, &why);
	if (err) {
		netdev_info(vif->dev, "frontend coalesce refused: %s\n", why);
		goto out;
	}
	err = xenvif_coalesce_publish(dev, &tx, &rx);
	if (err) {
		netdev_warn(vif->dev, "frontend coalesce not written to xenstore (%d)\n",
			    err);
		goto out;
	}
	cfg->frontend_tx = tx;
	cfg->frontend_rx = rx;
out:
	mutex_unlock(&xenvif_coalesce_frontend_lock);
	return err;
}

/**
 * xenvif_coalesce_get_frontend - one of the frontend's values
 * @vif: the VIF
 * @field: which value
 *
 * Return: the value last published: the class's while one is set.
 */
u32 xenvif_coalesce_get_frontend(struct xenvif *vif,
				 enum xenvif_coalesce_frontend_field field)
{
	struct xenvif_coalesce_cfg *cfg = &vif->coal_cfg;
	u32 val;

	mutex_lock(&xenvif_coalesce_frontend_lock);
	if (cfg->class != XCOAL_CLASS_NONE) {
		struct xcoal_params tx = cfg->plan.front_tx, rx = cfg->plan.front_rx;

		val = *xenvif_frontend_value(&tx, &rx, field);
	} else {
		val = *xenvif_frontend_value(&cfg->frontend_tx, &cfg->frontend_rx, field);
	}
	mutex_unlock(&xenvif_coalesce_frontend_lock);
	return val;
}

/**
 * xenvif_coalesce_frontend_follows - does the frontend say it follows us?
 * @dev: the backend's xenbus device
 *
 * The guest writes this key: it is read as a flag, strictly.
 *
 * Return: "yes", "no" (absent or 0), or "invalid" for anything else.
 */
const char *xenvif_coalesce_frontend_follows(struct xenbus_device *dev)
{
	const char *answer = "no";
	char *s;
	u32 v;

	if (!dev->otherend)
		return answer;
	s = xenbus_read(XBT_NIL, dev->otherend, "feature-coalesce", NULL);
	if (IS_ERR(s))
		return answer;
	if (xcoal_u32_parse(s, strlen(s), &v) || v > 1)
		answer = "invalid";
	else if (v)
		answer = "yes";
	kfree(s);
	return answer;
}
