import asyncio
from harmonia.client import get_harmonia_client, get_harmonia_state_client

async def main():
    client = await get_harmonia_client()
    state_client = await get_harmonia_state_client()

    # Create checkpoint for a running workflow
    checkpoint = await state_client.create_checkpoint(
        execution_id="execution-uuid-here"
    )

    # Restore from checkpoint
    new_execution = await client.restore_from_checkpoint(
        checkpoint_id=checkpoint["checkpoint_id"]
    )

    print(f"Restored workflow: {new_execution['execution_id']}")

if __name__ == "__main__":
    asyncio.run(main())
